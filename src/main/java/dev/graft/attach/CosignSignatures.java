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
import dev.graft.sign.EcdsaSignatures;
import dev.graft.sign.SigningKey;
import dev.graft.sign.SimpleSigning;
import java.io.IOException;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signatures stored the way cosign stores them: an image tagged {@code sha256-<hex>.sig} beside
 * the signed manifest, one layer per signature holding the simple-signing payload, the signature
 * (base64 DER) in the layer annotation {@code dev.cosignproject.cosign/signature}. Where the
 * registry has the referrers API the same signature is also pushed as a referrer (cosign's
 * {@code --registry-referrers-mode=oci-1-1} form). A signature already present — the same payload
 * with a signature the same key verifies — is not added again.
 */
public final class CosignSignatures {
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  /** cosign's artifact type for a signature pushed as a referrer. */
  public static final String SIGNATURE_ARTIFACT_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";

  private CosignSignatures() {}

  /** What signing did: the signature tag, and whether a new signature was written (false: already there). */
  public record Signed(Digest subject, String tag, boolean added, boolean referrer) {}

  /** One signature that verified: its payload and the layer that holds it. */
  public record Verified(SimpleSigning payload, Descriptor layer, String where) {}

  public static String signatureTag(Digest subject) {
    return subject.algorithm() + "-" + subject.hex() + ".sig";
  }

  /** Signs {@code subject} (a manifest or index in {@code store}) with {@code key}. */
  public static Signed sign(ArtifactStore store, Descriptor subject, SigningKey key) throws IOException {
    byte[] payload = new SimpleSigning(store.repositoryName(), subject.digest()).bytes();
    byte[] signature = EcdsaSignatures.sign(key, payload);
    Descriptor layer = new Descriptor(SimpleSigning.MEDIA_TYPE, Digest.sha256(payload), payload.length, null,
        Map.of(SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(signature)));
    String tag = signatureTag(subject.digest());
    List<Descriptor> layers = new ArrayList<>();
    Optional<Blob> existing = store.manifestByTag(tag);
    if (existing.isPresent() && MediaTypes.isManifest(existing.get().mediaType())) {
      layers.addAll(Manifest.parse(existing.get()).layers());
    }
    boolean present = false;
    for (Descriptor l : layers) {
      if (l.digest().equals(layer.digest()) && signedBy(l, payload, key.publicKey())) {
        present = true;
      }
    }
    store.putBlob(layer, payload);
    boolean referrer = false;
    if (!present) {
      layers.add(layer);
      Blob config = config(layers);
      store.putBlob(config.descriptor(), config.bytes());
      Blob manifest = new Manifest(MediaTypes.OCI_MANIFEST, config.descriptor(), layers, Map.of()).toBlob();
      store.putManifest(manifest, Optional.empty());
      store.tag(tag, manifest);
    }
    if (store.referrersApi(subject.digest()).isPresent()) {
      referrer = pushReferrer(store, subject, layer, payload, key);
    }
    return new Signed(subject.digest(), tag, !present, referrer);
  }

  /** The referrer form, once per payload and key: skipped when an equal one is already listed. */
  private static boolean pushReferrer(ArtifactStore store, Descriptor subject, Descriptor layer, byte[] payload,
      SigningKey key) throws IOException {
    for (Referrer r : Referrers.list(store, subject.digest(), SIGNATURE_ARTIFACT_TYPE)) {
      Manifest m = Manifest.parse(store.manifest(r.descriptor()));
      if (m.layers().stream().anyMatch(l -> l.digest().equals(layer.digest()) && signedBy(l, payload, key.publicKey()))) {
        return false;
      }
    }
    Blob config = config(List.of(layer));
    store.putBlob(config.descriptor(), config.bytes());
    ObjectNode n = Json.object();
    n.put("schemaVersion", 2);
    n.put("mediaType", MediaTypes.OCI_MANIFEST);
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

  private static boolean signedBy(Descriptor layer, byte[] payload, ECPublicKey key) {
    String sig = layer.annotations().get(SIGNATURE_ANNOTATION);
    if (sig == null) {
      return false;
    }
    try {
      return EcdsaSignatures.verify(key, payload, Base64.getDecoder().decode(sig));
    } catch (IllegalArgumentException e) {
      return false;
    }
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
   * The signatures of {@code subject} that {@code key} verifies and whose payload names
   * {@code subject}: from the {@code .sig} tag and, where the registry has the API, referrers.
   * A signature by another key is not an error (several parties may sign); none at all is an empty list.
   */
  public static List<Verified> verify(ArtifactStore store, Digest subject, ECPublicKey key) throws IOException {
    List<Verified> out = new ArrayList<>();
    String tag = signatureTag(subject);
    Optional<Blob> sigs = store.manifestByTag(tag);
    if (sigs.isPresent() && MediaTypes.isManifest(sigs.get().mediaType())) {
      collect(store, Manifest.parse(sigs.get()), subject, key, store + ":" + tag, out);
    }
    if (store.referrersApi(subject).isPresent()) {
      for (Referrer r : Referrers.list(store, subject, SIGNATURE_ARTIFACT_TYPE)) {
        collect(store, Manifest.parse(store.manifest(r.descriptor())), subject, key,
            store + "@" + r.descriptor().digest(), out);
      }
    }
    return out;
  }

  private static void collect(ArtifactStore store, Manifest m, Digest subject, ECPublicKey key, String where,
      List<Verified> out) throws IOException {
    for (Descriptor layer : m.layers()) {
      if (!SimpleSigning.MEDIA_TYPE.equals(layer.mediaType()) || layer.size() > Json.MAX_DOCUMENT_BYTES) {
        continue;
      }
      byte[] payload = store.blob(layer);
      if (!signedBy(layer, payload, key)) {
        continue;
      }
      SimpleSigning parsed;
      try {
        parsed = SimpleSigning.parse(payload, where);
      } catch (OciFormatException e) {
        continue; // signed, but not an image signature: not evidence for this image
      }
      if (parsed.manifestDigest().equals(subject)) {
        out.add(new Verified(parsed, layer, where));
      }
    }
  }
}
