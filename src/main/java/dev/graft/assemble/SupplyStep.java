package dev.graft.assemble;

import dev.graft.attach.Artifact;
import dev.graft.attach.ArtifactStore;
import dev.graft.attach.CosignSignatures;
import dev.graft.attach.ImageSigning;
import dev.graft.attach.Referrers;
import dev.graft.attach.RegistryArtifactStore;
import dev.graft.config.BuildPlan;
import dev.graft.config.LayerSource;
import dev.graft.config.LayerSpec;
import dev.graft.config.PlatformPlan;
import dev.graft.oci.Blob;
import dev.graft.oci.Descriptor;
import dev.graft.oci.Digest;
import dev.graft.oci.ImageRef;
import dev.graft.oci.ImageSource;
import dev.graft.oci.Manifest;
import dev.graft.oci.OciLayouts;
import dev.graft.oci.StagingDir;
import dev.graft.sbom.ImageSubject;
import dev.graft.sbom.LayerOrigin;
import dev.graft.sbom.SbomFormat;
import dev.graft.sbom.Sboms;
import dev.graft.supply.Attachment;
import dev.graft.supply.Provenance;
import dev.graft.supply.ProvenanceInput;
import dev.graft.supply.SupplyOptions;
import dev.graft.transfer.Attachments;
import dev.graft.transfer.TransferOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Step "attach": what a build writes beside its images. For a registry target, after the
 * manifests and before the tags move: each platform image's SBOM and provenance as OCI 1.1
 * referrers (tag-schema fallback where the registry has no referrers API), then cosign signatures
 * of every platform manifest, the index and those referrers. For an {@code oci:} or
 * {@code oci-archive:} target, the SBOM and provenance are files beside it.
 */
final class SupplyStep {
  private final BuildPlan plan;
  private final SupplyOptions supply;
  private final TransferOptions transfer;
  private final Map<dev.graft.oci.Platform, ImageSource> builders;

  SupplyStep(BuildPlan plan, SupplyOptions supply, TransferOptions transfer,
      Map<dev.graft.oci.Platform, ImageSource> builders) {
    this.plan = plan;
    this.supply = supply;
    this.transfer = transfer;
    this.builders = builders;
  }

  /**
   * The image writer's {@link Attachments} for a target of {@code images}: on a registry, what
   * {@link #beforeCommit} writes, handed to {@code written}; elsewhere nothing (the files beside
   * an {@code oci:} target come after it is written, from {@link #besideFiles}).
   */
  Attachments attachments(List<AssembledImage> images, Consumer<List<Attachment>> written) {
    return (target, root) -> {
      if (target instanceof ImageRef.Registry r) {
        written.accept(beforeCommit(r, images, root));
      }
    };
  }

  /** Registry targets: referrers and signatures, written by digest; the tags have not moved yet. */
  List<Attachment> beforeCommit(ImageRef.Registry target, List<AssembledImage> images, Blob root) throws IOException {
    List<Attachment> out = new ArrayList<>();
    List<Descriptor> referrers = new ArrayList<>();
    try (ArtifactStore store = new RegistryArtifactStore(target, transfer.registry())) {
      String name = target.registry() + "/" + target.repository();
      for (AssembledImage img : images) {
        Descriptor subject = img.manifest().descriptor();
        for (Map.Entry<SbomFormat, byte[]> sbom : sboms(target, name, img).entrySet()) {
          String type = sbom.getKey().mediaType();
          Descriptor d = Referrers.attach(store, new Artifact(type, type, sbom.getValue(), Map.of()), subject);
          referrers.add(d);
          out.add(new Attachment("sbom", subject.digest(), name + "@" + d.digest(), true, "", type));
        }
        if (supply.provenance()) {
          Descriptor d = Referrers.attach(store, new Artifact(Provenance.MEDIA_TYPE, Provenance.MEDIA_TYPE,
              provenance(name, img), Map.of("in-toto.io/predicate-type", Provenance.PREDICATE_TYPE)), subject);
          referrers.add(d);
          out.add(new Attachment("provenance", subject.digest(), name + "@" + d.digest(), true));
        }
      }
      for (dev.graft.sign.PayloadSigner signer : supply.signers()) {
        List<CosignSignatures.Signed> signed = new ArrayList<>(ImageSigning.sign(store, root.digest(), signer));
        for (Descriptor r : referrers) {
          signed.add(CosignSignatures.sign(store, r, signer));
        }
        signed.forEach(s -> out.add(new Attachment("signature", s.subject(), name + ":" + s.tag(), s.added(),
            s.signer())));
      }
    }
    return out;
  }

  /** oci: / oci-archive: targets: TARGET.OS-ARCH[-VARIANT].cdx.json, .spdx.json and .provenance.json beside it. */
  List<Attachment> besideFiles(ImageRef target, List<AssembledImage> images) throws IOException {
    Path where = target instanceof ImageRef.OciLayout l ? l.dir() : target instanceof ImageRef.OciArchive a ? a.file()
        : null;
    List<Attachment> out = new ArrayList<>();
    if (where == null || !(supply.sbom() || supply.provenance())) {
      return out;
    }
    String name = shown(target);
    Path parent = where.toAbsolutePath().normalize().getParent();
    try (StagingDir staging = StagingDir.create(parent, "." + where.getFileName() + ".graft-staging-")) {
      for (AssembledImage img : images) {
        besideFiles(target, name, img, where, staging, out);
      }
    }
    return out;
  }

  private void besideFiles(ImageRef target, String name, AssembledImage img, Path where, StagingDir staging,
      List<Attachment> out) throws IOException {
    String stem = where.toAbsolutePath().normalize() + "." + img.platform().toString().replace('/', '-');
    for (Map.Entry<SbomFormat, byte[]> sbom : sboms(target, name, img).entrySet()) {
      Path file = Path.of(stem + sbom.getKey().fileSuffix());
      OciLayouts.writeAtomically(file, sbom.getValue(), staging);
      out.add(new Attachment("sbom", img.manifest().digest(), file.toString(), true, "", sbom.getKey().mediaType()));
    }
    if (supply.provenance()) {
      Path file = Path.of(stem + ".provenance.json");
      OciLayouts.writeAtomically(file, provenance(name, img), staging);
      out.add(new Attachment("provenance", img.manifest().digest(), file.toString(), true));
    }
  }

  /** The SBOMs asked for (none when --sbom was not given), from one reading of the image. */
  private Map<SbomFormat, byte[]> sboms(ImageRef target, String name, AssembledImage img) throws IOException {
    if (!supply.sbom()) {
      return Map.of();
    }
    PlatformPlan pp = plan.platform(img.platform());
    List<LayerOrigin> origins = new ArrayList<>();
    Manifest manifest = Manifest.parse(img.manifest());
    int baseLayers = img.base().manifest().layers().size();
    for (int i = 0; i < manifest.layers().size(); i++) {
      Digest d = manifest.layers().get(i).digest();
      if (i < baseLayers) {
        origins.add(new LayerOrigin(i, d, true, "", "base image " + shown(pp.base()), Optional.empty(), Optional.empty()));
        continue;
      }
      AddedLayer a = img.added().get(i - baseLayers);
      Optional<LayerSource> source = spec(pp, a.name()).map(LayerSpec::source);
      Optional<String> image = Optional.empty();
      Optional<Digest> digest = Optional.empty();
      if (source.isPresent() && source.get() instanceof LayerSource.Builder) {
        image = pp.builder().map(SupplyStep::shown);
        digest = builderDigest(img);
      } else if (source.isPresent() && source.get() instanceof LayerSource.Base) {
        image = Optional.of(shown(pp.base()));
        digest = Optional.of(img.base().manifestBlob().digest());
      }
      origins.add(new LayerOrigin(i, d, false, a.name(), a.source(), image, digest));
    }
    ImageSubject subject = new ImageSubject(name, img.manifest().digest(), img.platform(),
        Optional.of(shown(pp.base())), Optional.of(img.base().manifestBlob().digest()), origins,
        img.base().config().env(), plan.epoch(), supply.toolVersion());
    try (ImageSource source = new BuiltImageSource(target, img)) {
      return Sboms.write(supply.sbomFormats(), subject, source, manifest, img.config());
    }
  }

  private byte[] provenance(String name, AssembledImage img) throws IOException {
    PlatformPlan pp = plan.platform(img.platform());
    Optional<ProvenanceInput.Dependency> builder = builderDigest(img).map(d ->
        new ProvenanceInput.Dependency("builder", uri(pp.builder().orElseThrow()), d));
    List<ProvenanceInput.Dependency> local = new ArrayList<>();
    for (AddedLayer a : img.added()) {
      if (spec(pp, a.name()).map(s -> s.source() instanceof LayerSource.Directory).orElse(false)) {
        local.add(new ProvenanceInput.Dependency("layer " + a.name(), "graft-layer:" + a.source(), a.layer().diffId()));
      }
    }
    return Provenance.statement(new ProvenanceInput(name, img.manifest().digest(), img.platform(), supply.configFiles(),
        new ProvenanceInput.Dependency("base", uri(pp.base()), img.base().manifestBlob().digest()), builder, local,
        plan.epoch(), supply.toolVersion()));
  }

  /** The builder's manifest digest for this platform (resolved again: the build keeps only its files). */
  private Optional<Digest> builderDigest(AssembledImage img) throws IOException {
    ImageSource source = builders.get(img.platform());
    return source == null ? Optional.empty()
        : Optional.of(new ResolveImage(source, img.platform()).run().manifestBlob().digest());
  }

  private static Optional<LayerSpec> spec(PlatformPlan pp, String name) {
    return pp.layers().stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /** An image as a URI: oci://REGISTRY/REPO[:TAG], or a layout/archive by its file name (never a host path). */
  private static String uri(ImageRef ref) {
    return ref instanceof ImageRef.Registry r ? "oci://" + r : shown(ref);
  }

  /** How documents name an image: a registry reference as it is, a layout or archive by file name and tag. */
  static String shown(ImageRef ref) {
    if (ref instanceof ImageRef.OciLayout l) {
      return "oci:" + l.dir().getFileName() + (l.tag() == null ? "" : ":" + l.tag());
    }
    if (ref instanceof ImageRef.OciArchive a) {
      return "oci-archive:" + a.file().getFileName() + (a.tag() == null ? "" : ":" + a.tag());
    }
    if (ref instanceof ImageRef.DockerArchive d) {
      return "docker-archive:" + d.file().getFileName() + (d.name() == null ? "" : ":" + d.name());
    }
    return ref.toString();
  }
}
