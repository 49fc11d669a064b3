package dev.graft.sbom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.json.BomJsonGenerator;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;
import org.cyclonedx.util.LicenseResolver;

/**
 * Writes an image's inventory as CycloneDX 1.6 JSON: the image as the document's subject, the base
 * image holding its distribution packages, one component per grafted layer holding what it
 * brought (programs, addons and libraries with their sha256, npm packages with purl, license and
 * integrity), and a dependency graph saying which binary loads which library. Every list is
 * sorted and the only time is the subject's (SOURCE_DATE_EPOCH), so the same image gives the
 * same bytes.
 */
public final class CycloneDxWriter {
  public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json";

  private CycloneDxWriter() {}

  public static byte[] write(ImageSubject subject, ImageInventory inventory) {
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(("graft sbom " + subject.manifestDigest())
        .getBytes(StandardCharsets.UTF_8)));
    bom.setMetadata(metadata(subject));
    Map<String, String> packageOfFile = new TreeMap<>();
    List<Component> components = new ArrayList<>();
    List<Component> osComponents = new ArrayList<>();
    for (OsPackage p : inventory.osPackages()) {
      Component c = osPackage(p, inventory.distro());
      osComponents.add(c);
      p.files().forEach(f -> packageOfFile.putIfAbsent(f, c.getBomRef()));
    }
    List<String> imageNeeds = new ArrayList<>();
    if (subject.baseImage().isPresent()) {
      Component base = new Component();
      base.setType(Component.Type.CONTAINER);
      base.setBomRef("base-image");
      base.setName(subject.baseImage().get());
      subject.baseDigest().ifPresent(d -> {
        base.setVersion(d.toString());
        base.setPurl(Purls.oci(subject.baseImage().get(), d, subject.platform()));
      });
      base.setProperties(props("graft:role", "base"));
      if (!osComponents.isEmpty()) {
        base.setComponents(osComponents);
      }
      components.add(base);
      imageNeeds.add(base.getBomRef());
    } else {
      components.addAll(osComponents);
    }
    Map<Integer, List<Component>> byLayer = new TreeMap<>();
    for (BinaryComponent b : inventory.binaries()) {
      byLayer.computeIfAbsent(b.layer(), k -> new ArrayList<>()).add(binary(b));
    }
    for (NpmComponent p : inventory.npmPackages()) {
      Integer layer = inventory.npmLayers().get(p.path());
      Component c = npm(p);
      if (layer == null || subject.layers().stream().noneMatch(l -> l.index() == layer && !l.fromBase())) {
        components.add(c); // the base's own node_modules (or an image graft did not build)
      } else {
        byLayer.computeIfAbsent(layer, k -> new ArrayList<>()).add(c);
      }
    }
    for (LayerOrigin l : subject.layers()) {
      if (l.fromBase()) {
        continue;
      }
      Component c = new Component();
      c.setType(Component.Type.FILE);
      c.setBomRef("layer:" + l.index());
      c.setName(l.name().isEmpty() ? "layer " + l.index() : l.name());
      c.setVersion(l.digest().toString());
      c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, l.digest().hex())));
      List<Property> p = new ArrayList<>(props("graft:role", "grafted layer", "graft:source", l.source()));
      l.sourceImage().ifPresent(s -> p.add(prop("graft:source-image", s)));
      l.sourceDigest().ifPresent(s -> p.add(prop("graft:source-digest", s.toString())));
      c.setProperties(p);
      List<Component> content = byLayer.getOrDefault(l.index(), List.of());
      if (!content.isEmpty()) {
        c.setComponents(content);
      }
      components.add(c);
      imageNeeds.add(c.getBomRef());
    }
    bom.setComponents(components);
    List<Dependency> dependencies = new ArrayList<>();
    dependencies.add(dependency("image", imageNeeds));
    for (BinaryComponent b : inventory.binaries()) {
      List<String> refs = new ArrayList<>();
      for (String needed : b.needs()) {
        boolean grafted = inventory.binaries().stream().anyMatch(o -> o.path().equals(needed));
        String ref = grafted ? "file:" + needed : packageOfFile.get(needed);
        if (ref != null && !refs.contains(ref)) {
          refs.add(ref);
        }
      }
      dependencies.add(dependency("file:" + b.path(), refs));
    }
    bom.setDependencies(dependencies);
    try {
      return new BomJsonGenerator(bom, Version.VERSION_16).toJsonString(true).getBytes(StandardCharsets.UTF_8);
    } catch (GeneratorException e) {
      throw new IllegalStateException("CycloneDX writer failed for " + subject.name(), e);
    }
  }

  private static Metadata metadata(ImageSubject subject) {
    Metadata m = new Metadata();
    m.setTimestamp(Date.from(subject.time()));
    Component graft = new Component();
    graft.setType(Component.Type.APPLICATION);
    graft.setName("graft");
    graft.setVersion(subject.toolVersion());
    ToolInformation tools = new ToolInformation();
    tools.setComponents(List.of(graft));
    m.setToolChoice(tools);
    Component image = new Component();
    image.setType(Component.Type.CONTAINER);
    image.setBomRef("image");
    image.setName(subject.name());
    image.setVersion(subject.manifestDigest().toString());
    image.setPurl(Purls.oci(subject.name(), subject.manifestDigest(), subject.platform()));
    image.setProperties(props("graft:platform", subject.platform().toString()));
    m.setComponent(image);
    return m;
  }

  private static Component osPackage(OsPackage p, Optional<OsPackages.Distro> distro) {
    Component c = new Component();
    c.setType(Component.Type.LIBRARY);
    c.setName(p.name());
    c.setVersion(p.version());
    String purl = Purls.os(p, distro);
    c.setPurl(purl);
    c.setBomRef("os:" + purl);
    if (!p.license().isEmpty()) {
      c.setLicenses(license(p.license()));
    }
    if (!p.origin().isEmpty()) {
      c.setProperties(props(p.type().equals("apk") ? "apk:origin" : "deb:source", p.origin()));
    }
    return c;
  }

  private static Component binary(BinaryComponent b) {
    Component c = new Component();
    c.setType(b.kind() == BinaryComponent.Kind.PROGRAM ? Component.Type.APPLICATION : Component.Type.LIBRARY);
    c.setBomRef("file:" + b.path());
    c.setName(b.name());
    b.version().ifPresent(c::setVersion);
    if (b.kind() == BinaryComponent.Kind.PROGRAM && b.name().equals("node") && b.version().isPresent()) {
      c.setPurl(Purls.generic("node", b.version().get()));
    }
    c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, b.sha256())));
    List<Property> p = new ArrayList<>(props("graft:path", b.path(), "graft:kind",
        b.kind().name().toLowerCase(java.util.Locale.ROOT)));
    if (!b.neededBy().isEmpty()) {
      p.add(prop("graft:needed-by", String.join(" ", b.neededBy())));
    }
    c.setProperties(p);
    return c;
  }

  private static Component npm(NpmComponent p) {
    Component c = new Component();
    c.setType(Component.Type.LIBRARY);
    c.setBomRef("npm:" + p.path());
    String name = p.name();
    String scope = null;
    if (name.startsWith("@") && name.contains("/")) {
      scope = name.substring(0, name.indexOf('/'));
      name = name.substring(name.indexOf('/') + 1);
      c.setGroup(scope);
    }
    c.setName(name);
    if (!p.version().isEmpty()) {
      c.setVersion(p.version());
      c.setPurl(Purls.npm(p));
    }
    if (!p.license().isEmpty()) {
      c.setLicenses(license(p.license()));
    }
    sriHash(p.integrity()).ifPresent(h -> c.setHashes(List.of(h)));
    List<Property> props = new ArrayList<>(props("graft:path", p.path()));
    if (!p.integrity().isEmpty()) {
      props.add(prop("npm:integrity", p.integrity()));
    }
    if (!p.resolved().isEmpty()) {
      props.add(prop("npm:resolved", p.resolved()));
    }
    c.setProperties(props);
    return c;
  }

  /** An SRI string ("sha512-<base64>") as a CycloneDX hash (hex); empty for other algorithms or bad text. */
  static Optional<Hash> sriHash(String integrity) {
    String first = integrity.trim().split("\\s+")[0];
    int dash = first.indexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    Hash.Algorithm alg = switch (first.substring(0, dash)) {
      case "sha512" -> Hash.Algorithm.SHA_512;
      case "sha384" -> Hash.Algorithm.SHA_384;
      case "sha256" -> Hash.Algorithm.SHA_256;
      case "sha1" -> Hash.Algorithm.SHA1;
      default -> null;
    };
    try {
      return alg == null ? Optional.empty()
          : Optional.of(new Hash(alg, HexFormat.of().formatHex(Base64.getDecoder().decode(first.substring(dash + 1)))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static LicenseChoice license(String text) {
    LicenseChoice resolved = LicenseResolver.resolve(text);
    if (resolved != null) {
      return resolved;
    }
    License l = new License();
    l.setName(text);
    LicenseChoice c = new LicenseChoice();
    c.addLicense(l);
    return c;
  }

  private static Dependency dependency(String ref, List<String> on) {
    Dependency d = new Dependency(ref);
    on.forEach(o -> d.addDependency(new Dependency(o)));
    return d;
  }

  private static Property prop(String name, String value) {
    Property p = new Property();
    p.setName(name);
    p.setValue(value);
    return p;
  }

  private static List<Property> props(String... nameValues) {
    List<Property> out = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      out.add(prop(nameValues[i], nameValues[i + 1]));
    }
    return out;
  }
}
