package dev.graft.attach;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import dev.graft.oci.Manifest;
import dev.graft.oci.MediaTypes;
import dev.graft.oci.OciFormatException;
import dev.graft.sign.CosignSignature;
import dev.graft.sign.PayloadSigner;
import dev.graft.sign.SignatureCheck;
import dev.graft.sign.SimpleSigning;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Signatures stored the way cosign stores them: an image tagged {@code sha256-<hex>.sig} beside
 * the signed manifest, one layer per signature holding the simple-signing payload, the signature
 * (base64 DER) in the layer annotation {@code dev.cosignproject.cosign/signature}; a keyless
 * signature also carries its certificate, chain and Rekor bundle in cosign's
 * {@code dev.sigstore.cosign/*} annotations. Where the registry has the referrers API the same
 * signature is also pushed as a referrer (cosign's {@code --registry-referrers-mode=oci-1-1}
 * form). A signature already present (the signer recognises it) is not added again.
 */
public final class CosignSignatures {
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  /** A keyless signature's leaf certificate (PEM), as cosign names it. */
  public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
  /** The certificate's chain up to the root (PEM, intermediates first). */
  public static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
  /** The Rekor bundle (signed entry timestamp and the entry) proving the signature was logged. */
  public static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
  /** cosign's artifact type for a signature pushed as a referrer. */
  public static final String SIGNATURE_ARTIFACT_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";

  private CosignSignatures() {}

  /**
   * What signing did: the signature tag, whether a new signature was written (false: already
   * there), whether it went in as a referrer too, and who signed (in words).
   */
  public record Signed(Digest subject, String tag, boolean added, boolean referrer, String signer) {}

  /** One signature that was accepted: its payload, the layer that holds it, who signed. */
  public record Verified(SimpleSigning payload, Descriptor layer, String where, String signer) {}

  /** One signature of the subject that was refused, and why (shown when none is accepted). */
  public record Refused(String where, String reason) {}

  /** All that verification found for one digest. */
  public record Verification(List<Verified> accepted, List<Refused> refused) {
    public Verification {
      accepted = List.copyOf(accepted);
      refused = List.copyOf(refused);
    }
  }

  public static String signatureTag(Digest subject) {
    return subject.algorithm() + "-" + subject.hex() + ".sig";
  }

  /** Signs {@code subject} (a manifest or index in {@code store}) with {@code signer}. */
  public static Signed sign(ArtifactStore store, Descriptor subject, PayloadSigner signer) throws IOException {
    byte[] payload = new SimpleSigning(store.repositoryName(), subject.digest()).bytes();
    String tag = signatureTag(subject.digest());
    List<Descriptor> layers = new ArrayList<>();
    Optional<Blob> existing = store.manifestByTag(tag);
    if (existing.isPresent() && MediaTypes.isManifest(existing.get().mediaType())) {
      layers.addAll(Manifest.parse(existing.get()).layers());
    }
    Digest payloadDigest = Digest.sha256(payload);
    Optional<Descriptor> present = layers.stream()
        .filter(l -> l.digest().equals(payloadDigest) && stored(l).map(st -> signer.alreadySigned(payload, st))
            .orElse(false))
        .findFirst();
    Descriptor layer;
    String by;
    if (present.isPresent()) {
      layer = present.get();
      by = signer.describe();
    } else {
      CosignSignature signature = signer.sign(payload);
      layer = new Descriptor(SimpleSigning.MEDIA_TYPE, payloadDigest, payload.length, null, annotations(signature));
      by = signature.signer();
      store.putBlob(layer, payload);
      layers.add(layer);
      Blob config = config(layers);
      store.putBlob(config.descriptor(), config.bytes());
      Blob manifest = new Manifest(MediaTypes.OCI_MANIFEST, config.descriptor(), layers, Map.of()).toBlob();
      store.putManifest(manifest, Optional.empty());
      store.tag(tag, manifest);
    }
    boolean referrer = false;
    if (store.referrersApi(subject.digest()).isPresent()) {
      referrer = pushReferrer(store, subject, layer, payload, signer);
    }
    return new Signed(subject.digest(), tag, present.isEmpty(), referrer, by);
  }

  /** The annotations of a signature layer, in cosign's names. */
  static Map<String, String> annotations(CosignSignature signature) {
    Map<String, String> a = new TreeMap<>();
    a.put(SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(signature.signature()));
    signature.certificate().ifPresent(c -> a.put(CERTIFICATE_ANNOTATION, c));
    signature.chain().ifPresent(c -> a.put(CHAIN_ANNOTATION, c));
    signature.bundle().ifPresent(b -> a.put(BUNDLE_ANNOTATION, b));
    return a;
  }

  /** The signature a layer's annotations hold, if they hold a readable one. */
  static Optional<CosignSignature> stored(Descriptor layer) {
    String sig = layer.annotations().get(SIGNATURE_ANNOTATION);
    if (sig == null) {
      return Optional.empty();
    }
    try {
      byte[] der = Base64.getDecoder().decode(sig.strip());
      Map<String, String> a = layer.annotations();
      return Optional.of(new CosignSignature(der, Optional.ofNullable(a.get(CERTIFICATE_ANNOTATION)),
          Optional.ofNullable(a.get(CHAIN_ANNOTATION)), Optional.ofNullable(a.get(BUNDLE_ANNOTATION)), ""));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The referrer form, once per payload and signer: skipped when the signer's one is already listed. */
  private static boolean pushReferrer(ArtifactStore store, Descriptor subject, Descriptor layer, byte[] payload,
      PayloadSigner signer) throws IOException {
    for (Referrer r : Referrers.list(store, subject.digest(), SIGNATURE_ARTIFACT_TYPE)) {
      Manifest m = Manifest.parse(store.manifest(r.descriptor()));
      if (m.layers().stream().anyMatch(l -> l.digest().equals(layer.digest())
          && (l.annotations().equals(layer.annotations())
              || stored(l).map(st -> signer.alreadySigned(payload, st)).orElse(false)))) {
        return false;
      }
    }
    Blob config = config(List.of(layer));
    store.putBlob(config.descriptor(), config.bytes());
    ObjectNode n = Json.document(MediaTypes.OCI_MANIFEST);
    n.put("artifactType", SIGNATURE_ARTIFACT_TYPE);
    n.set("config", Artifact.descriptorNode(new Descriptor(SIGNATURE_ARTIFACT_TYPE, config.digest(), config.size()),
        Map.of()));
    n.putArray("layers").add(Artifact.descriptorNode(layer, Map.of()));
    n.set("subject", Artifact.descriptorNode(new Descriptor(subject.mediaType(), subject.digest(), subject.size()),
        Map.of()));
    Blob manifest = new Blob(MediaTypes.OCI_MANIFEST, Json.write(n));
    if (!store.putManifest(manifest, Optional.of(subject.digest()))) {
      Referrers.addToFallback(store, subject.digest(), manifest.descriptor(), SIGNATURE_ARTIFACT_TYPE, Map.of());
    }
    return true;
  }

  /**
   * The config of a signature image, shaped as cosign's (go-containerregistry's empty image with
   * one diff ID per layer: the layers are uncompressed, so diff ID and digest are the same).
   */
  static Blob config(List<Descriptor> layers) {
    ObjectNode n = Json.object();
    n.put("architecture", "");
    n.put("created", "0001-01-01T00:00:00Z");
    ArrayNode history = n.putArray("history");
    layers.forEach(l -> history.addObject().put("created", "0001-01-01T00:00:00Z"));
    n.put("os", "");
    ObjectNode rootfs = n.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(l -> diffIds.add(l.digest().toString()));
    n.putObject("config");
    return new Blob(MediaTypes.OCI_CONFIG, Json.write(n));
  }

  /**
   * The signatures of {@code subject} that {@code check} accepts and whose payload names
   * {@code subject}, from the {@code .sig} tag and, where the registry has the API, referrers; and
   * those it refused, with the reason. Several parties may sign: a refused signature is not an
   * error by itself.
   */
  public static Verification verify(ArtifactStore store, Digest subject, SignatureCheck check) throws IOException {
    List<Verified> accepted = new ArrayList<>();
    List<Refused> refused = new ArrayList<>();
    String tag = signatureTag(subject);
    Optional<Blob> sigs = store.manifestByTag(tag);
    if (sigs.isPresent() && MediaTypes.isManifest(sigs.get().mediaType())) {
      collect(store, Manifest.parse(sigs.get()), subject, check, store + ":" + tag, accepted, refused);
    }
    if (store.referrersApi(subject).isPresent()) {
      for (Referrer r : Referrers.list(store, subject, SIGNATURE_ARTIFACT_TYPE)) {
        collect(store, Manifest.parse(store.manifest(r.descriptor())), subject, check,
            store + "@" + r.descriptor().digest(), accepted, refused);
      }
    }
    return new Verification(accepted, refused);
  }

  private static void collect(ArtifactStore store, Manifest m, Digest subject, SignatureCheck check, String where,
      List<Verified> accepted, List<Refused> refused) throws IOException {
    for (Descriptor layer : m.layers()) {
      if (!SimpleSigning.MEDIA_TYPE.equals(layer.mediaType()) || layer.size() > Json.MAX_DOCUMENT_BYTES) {
        continue;
      }
      Optional<CosignSignature> signature = stored(layer);
      if (signature.isEmpty()) {
        refused.add(new Refused(where, "layer " + layer.digest() + " has no readable " + SIGNATURE_ANNOTATION));
        continue;
      }
      byte[] payload = store.blob(layer);
      SimpleSigning parsed;
      try {
        parsed = SimpleSigning.parse(payload, where);
      } catch (OciFormatException e) {
        continue; // not an image signature: not evidence for this image
      }
      if (!parsed.manifestDigest().equals(subject)) {
        refused.add(new Refused(where, "payload " + layer.digest() + " names " + parsed.manifestDigest()));
        continue;
      }
      SignatureCheck.Verdict verdict = check.check(payload, signature.get());
      if (verdict.accepted()) {
        accepted.add(new Verified(parsed, layer, where, verdict.detail()));
      } else {
        refused.add(new Refused(where, verdict.detail()));
      }
    }
  }
}
