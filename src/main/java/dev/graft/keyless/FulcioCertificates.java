package dev.graft.keyless;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * What a Fulcio certificate says about who signed: the identity (the subject alternative name: an
 * email address, or a URI such as a GitHub workflow's
 * {@code https://github.com/OWNER/REPO/.github/workflows/FILE@REF}) and the OIDC issuer that
 * vouched for it (Fulcio's extension 1.3.6.1.4.1.57264.1.8, a DER string; the older
 * 1.3.6.1.4.1.57264.1.1 holds the raw string).
 */
final class FulcioCertificates {
  static final String ISSUER_OID = "1.3.6.1.4.1.57264.1.8";
  static final String ISSUER_V1_OID = "1.3.6.1.4.1.57264.1.1";

  private FulcioCertificates() {}

  /** Every certificate in PEM {@code text}, in order; an unreadable one is refused. */
  static List<X509Certificate> parse(String text) throws CertificateException {
    Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    List<X509Certificate> out = new ArrayList<>();
    for (var c : certs) {
      out.add((X509Certificate) c);
    }
    return out;
  }

  /** The subject alternative names a signer identity can be (email, URI, and Fulcio's otherName). */
  static List<String> identities(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names == null) {
        return out;
      }
      for (List<?> n : names) {
        int type = (Integer) n.get(0);
        if ((type == 1 || type == 6) && n.get(1) instanceof String s) { // rfc822Name, uniformResourceIdentifier
          out.add(s);
        }
      }
    } catch (CertificateParsingException e) {
      return out;
    }
    return out;
  }

  /** The OIDC issuer the certificate names, if it names one. */
  static Optional<String> issuer(X509Certificate cert) {
    try {
      byte[] v2 = cert.getExtensionValue(ISSUER_OID);
      if (v2 != null) {
        ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v2).getOctets());
        return inner instanceof ASN1String s ? Optional.of(s.getString()) : Optional.empty();
      }
      byte[] v1 = cert.getExtensionValue(ISSUER_V1_OID);
      if (v1 != null) {
        return Optional.of(new String(ASN1OctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8));
      }
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
