package dev.graft.sbom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes an image's inventory as SPDX 2.3 JSON, the same facts {@link CycloneDxWriter} writes: the
 * image package (described by the document), the base image it descends from with its
 * distribution packages, one {@code ARCHIVE} package per grafted layer (generated from its source
 * image, when there is one) containing its programs, addons, libraries and npm packages, and a
 * {@code DYNAMIC_LINK} relationship from each binary to each library it loads. Binaries are
 * packages rather than SPDX files because an SPDX file must carry a SHA-1, which graft does not
 * compute. Ids, lists and the only time (the subject's, SOURCE_DATE_EPOCH) are fixed by the
 * inventory, so the same image gives the same bytes. Written with Jackson: the format is plain
 * JSON, and the SPDX Java library's own model is what the tests' independent validator uses.
 */
public final class SpdxWriter {
  public static final String MEDIA_TYPE = "application/spdx+json";
  private static final String NOASSERTION = "NOASSERTION";
  private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);

  private final ImageSubject subject;
  private final ImageInventory inventory;
  private final SpdxLicenses licenses = new SpdxLicenses();
  private final ArrayNode packages = Json.MAPPER.createArrayNode();
  private final ArrayNode relationships = Json.MAPPER.createArrayNode();
  private final Set<String> ids = new LinkedHashSet<>();

  private SpdxWriter(ImageSubject subject, ImageInventory inventory) {
    this.subject = subject;
    this.inventory = inventory;
  }

  public static byte[] write(ImageSubject subject, ImageInventory inventory) {
    return new SpdxWriter(subject, inventory).document();
  }

  private byte[] document() {
    ObjectNode doc = Json.object();
    doc.put("spdxVersion", "SPDX-2.3");
    doc.put("dataLicense", "CC0-1.0");
    doc.put("SPDXID", "SPDXRef-DOCUMENT");
    doc.put("name", subject.name() + "@" + subject.manifestDigest());
    doc.put("documentNamespace", "urn:uuid:" + UUID.nameUUIDFromBytes(("graft spdx " + subject.name() + "@"
        + subject.manifestDigest() + " " + subject.platform()).getBytes(StandardCharsets.UTF_8)));
    ObjectNode creation = doc.putObject("creationInfo");
    creation.put("created", CREATED.format(subject.time().truncatedTo(ChronoUnit.SECONDS)));
    creation.putArray("creators").add("Tool: graft-" + subject.toolVersion());
    String image = container("SPDXRef-Image", subject.name(), subject.manifestDigest(),
        "platform " + subject.platform());
    relate("SPDXRef-DOCUMENT", "DESCRIBES", image);
    String osParent = image;
    if (subject.baseImage().isPresent()) {
      osParent = container("SPDXRef-BaseImage", subject.baseImage().get(), subject.baseDigest().orElse(null),
          "the base image");
      relate(image, "DESCENDANT_OF", osParent);
    }
    Map<String, String> packageOfFile = new HashMap<>();
    for (OsPackage p : inventory.osPackages()) {
      String id = osPackage(p);
      relate(osParent, "CONTAINS", id);
      p.files().forEach(f -> packageOfFile.putIfAbsent(f, id));
    }
    Map<Integer, String> layerIds = layers(image);
    Map<String, String> binaryIds = new HashMap<>();
    for (BinaryComponent b : inventory.binaries()) {
      String id = binary(b);
      binaryIds.put(b.path(), id);
      relate(layerIds.getOrDefault(b.layer(), image), "CONTAINS", id);
    }
    for (NpmComponent p : inventory.npmPackages()) {
      Integer layer = inventory.npmLayers().get(p.path());
      relate(layer == null ? image : layerIds.getOrDefault(layer, image), "CONTAINS", npm(p));
    }
    for (BinaryComponent b : inventory.binaries()) {
      Set<String> targets = new LinkedHashSet<>();
      for (String needed : b.needs()) {
        String target = binaryIds.containsKey(needed) ? binaryIds.get(needed) : packageOfFile.get(needed);
        if (target != null) {
          targets.add(target);
        }
      }
      targets.forEach(t -> relate(binaryIds.get(b.path()), "DYNAMIC_LINK", t));
    }
    Map<String, String> refs = new java.util.TreeMap<>(licenses.extracted());
    if (!refs.isEmpty()) {
      ArrayNode infos = doc.putArray("hasExtractedLicensingInfos");
      refs.forEach((id, text) -> {
        ObjectNode i = infos.addObject();
        i.put("licenseId", id);
        i.put("extractedText", text);
        i.put("name", text);
      });
    }
    doc.set("packages", packages);
    doc.set("relationships", relationships);
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("SPDX writer failed for " + subject.name(), e);
    }
  }

  /** One package per grafted layer; returns layer index → package id. */
  private Map<Integer, String> layers(String image) {
    Map<Integer, String> out = new HashMap<>();
    Map<String, String> sources = new HashMap<>();
    for (LayerOrigin l : subject.layers()) {
      if (l.fromBase()) {
        continue;
      }
      ObjectNode p = pkg(id("Layer-" + l.index() + "-" + l.name()), l.name().isEmpty() ? "layer " + l.index()
          : l.name());
      p.put("versionInfo", l.digest().toString());
      p.put("primaryPackagePurpose", "ARCHIVE");
      checksum(p, "SHA256", l.digest().hex());
      p.put("comment", "layer " + l.index() + " of the image, grafted from " + l.source());
      String id = p.get("SPDXID").asText();
      out.put(l.index(), id);
      relate(image, "CONTAINS", id);
      if (l.sourceImage().isPresent()) {
        String key = l.sourceImage().get() + "@" + l.sourceDigest().map(Digest::toString).orElse("");
        String source = sources.get(key);
        if (source == null) {
          source = container(id("Source-" + (sources.size() + 1)), l.sourceImage().get(), l.sourceDigest().orElse(null),
              "an image graft took files from");
          sources.put(key, source);
        }
        relate(id, "GENERATED_FROM", source);
      }
    }
    return out;
  }

  private String container(String id, String name, Digest digest, String comment) {
    ObjectNode p = pkg(id(id.substring("SPDXRef-".length())), name);
    p.put("primaryPackagePurpose", "CONTAINER");
    if (digest != null) {
      p.put("versionInfo", digest.toString());
      checksum(p, "SHA256", digest.hex());
      purl(p, Purls.oci(name, digest, subject.platform()));
    }
    p.put("comment", comment);
    return p.get("SPDXID").asText();
  }

  private String osPackage(OsPackage o) {
    ObjectNode p = pkg(id("OS-" + o.type() + "-" + o.name()), o.name());
    if (!o.version().isEmpty()) {
      p.put("versionInfo", o.version());
    }
    p.put("primaryPackagePurpose", "LIBRARY");
    licenses.expression(o.license()).ifPresent(l -> p.put("licenseDeclared", l));
    purl(p, Purls.os(o, inventory.distro()));
    if (!o.origin().isEmpty()) {
      p.put("sourceInfo", (o.type().equals("apk") ? "apk origin " : "deb source ") + o.origin());
    }
    return p.get("SPDXID").asText();
  }

  private String binary(BinaryComponent b) {
    ObjectNode p = pkg(id("File-" + b.name()), b.name());
    b.version().ifPresent(v -> p.put("versionInfo", v));
    p.put("packageFileName", b.path());
    p.put("primaryPackagePurpose", b.kind() == BinaryComponent.Kind.PROGRAM ? "APPLICATION" : "LIBRARY");
    checksum(p, "SHA256", b.sha256());
    if (b.kind() == BinaryComponent.Kind.PROGRAM && b.name().equals("node") && b.version().isPresent()) {
      purl(p, Purls.generic("node", b.version().get()));
    }
    String kind = b.kind().name().toLowerCase(java.util.Locale.ROOT);
    p.put("comment", b.neededBy().isEmpty() ? kind : kind + ", needed by " + String.join(" ", b.neededBy()));
    return p.get("SPDXID").asText();
  }

  private String npm(NpmComponent n) {
    ObjectNode p = pkg(id("Npm-" + n.name()), n.name());
    if (!n.version().isEmpty()) {
      p.put("versionInfo", n.version());
      purl(p, Purls.npm(n));
    }
    if (n.resolved().startsWith("https://") || n.resolved().startsWith("http://")) {
      p.put("downloadLocation", n.resolved());
    }
    p.put("packageFileName", n.path());
    p.put("primaryPackagePurpose", "LIBRARY");
    licenses.expression(n.license()).ifPresent(l -> p.put("licenseDeclared", l));
    CycloneDxWriter.sriHash(n.integrity()).ifPresent(h -> checksum(p, h.getAlgorithm().replace("-", ""),
        h.getValue()));
    return p.get("SPDXID").asText();
  }

  private ObjectNode pkg(String id, String name) {
    ObjectNode p = packages.addObject();
    p.put("SPDXID", id);
    p.put("name", name);
    p.put("downloadLocation", NOASSERTION);
    p.put("filesAnalyzed", false);
    return p;
  }

  /** A unique SPDXRef- id from readable text (SPDX allows letters, digits, '.' and '-'). */
  private String id(String readable) {
    String base = "SPDXRef-" + readable.replaceAll("[^A-Za-z0-9.\\-]+", "-").replaceAll("-+$", "");
    String id = base;
    for (int n = 2; !ids.add(id); n++) {
      id = base + "-" + n;
    }
    return id;
  }

  private void relate(String from, String type, String to) {
    ObjectNode r = relationships.addObject();
    r.put("spdxElementId", from);
    r.put("relationshipType", type);
    r.put("relatedSpdxElement", to);
  }

  private static void checksum(ObjectNode p, String algorithm, String hex) {
    ArrayNode c = p.has("checksums") ? (ArrayNode) p.get("checksums") : p.putArray("checksums");
    c.addObject().put("algorithm", algorithm).put("checksumValue", hex);
  }

  private static void purl(ObjectNode p, String purl) {
    p.putArray("externalRefs").addObject().put("referenceCategory", "PACKAGE-MANAGER")
        .put("referenceType", "purl").put("referenceLocator", purl);
  }
}
