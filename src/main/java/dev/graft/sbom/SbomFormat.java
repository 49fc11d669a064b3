package dev.graft.sbom;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The SBOM formats graft writes: CycloneDX 1.6 JSON and SPDX 2.3 JSON. */
public enum SbomFormat {
  CYCLONEDX(CycloneDxWriter.MEDIA_TYPE, ".cdx.json"),
  SPDX(SpdxWriter.MEDIA_TYPE, ".spdx.json");

  private final String mediaType;
  private final String fileSuffix;

  SbomFormat(String mediaType, String fileSuffix) {
    this.mediaType = mediaType;
    this.fileSuffix = fileSuffix;
  }

  /** How users name it: {@code cyclonedx}, {@code spdx} (the constant's name in lower case). */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The referrer's artifactType and its layer's media type. */
  public String mediaType() {
    return mediaType;
  }

  /** What the file beside an oci:/oci-archive: target ends with. */
  public String fileSuffix() {
    return fileSuffix;
  }

  /** The document for {@code subject}. */
  public byte[] write(ImageSubject subject, ImageInventory inventory) {
    return this == SPDX ? SpdxWriter.write(subject, inventory) : CycloneDxWriter.write(subject, inventory);
  }

  /** A comma-separated list ("cyclonedx", "spdx", "cyclonedx,spdx"), in the order given, without repeats. */
  public static List<SbomFormat> parseList(String text) {
    List<SbomFormat> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      SbomFormat f = parse(part.strip());
      if (!out.contains(f)) {
        out.add(f);
      }
    }
    return out;
  }

  public static SbomFormat parse(String name) {
    for (SbomFormat f : values()) {
      if (f.cliName().equals(name.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown SBOM format '" + name + "': use cyclonedx (CycloneDX 1.6 JSON) or "
        + "spdx (SPDX 2.3 JSON), or both as cyclonedx,spdx");
  }
}
