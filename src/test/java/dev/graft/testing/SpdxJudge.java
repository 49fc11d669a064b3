package dev.graft.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.spdx.tools.SpdxToolsHelper;
import org.spdx.tools.SpdxVerificationException;
import org.spdx.tools.Verify;

/**
 * The SPDX project's own verifier (tools-java's {@code Verify}, what its {@code pretty-print}/
 * {@code Verify} command runs): the official SPDX 2.3 JSON schema from its jar, then the SPDX
 * Java library's model reads the document and checks it (ids, relationships, license
 * expressions against the license list, checksums, purls). It shares no code with graft's writer.
 */
public final class SpdxJudge {
  private SpdxJudge() {}

  /** Every problem the verifier finds; empty when the document is valid SPDX 2.3. */
  public static synchronized List<String> problems(byte[] document, Path tmp) throws IOException {
    Path file = Files.createTempFile(tmp, "sbom-", ".spdx.json");
    Files.write(file, document);
    try {
      // the license list the library ships, never the one on spdx.org (no network here)
      System.setProperty("SPDXParser.OnlyUseLocalLicenses", "true");
      SpdxToolsHelper.initialize();
      return Verify.verify(file.toString(), SpdxToolsHelper.SerFileType.JSON);
    } catch (SpdxVerificationException e) {
      return List.of("not readable as SPDX: " + e.getMessage());
    } catch (RuntimeException e) { // the library's model throws on some documents instead of listing the problem
      return List.of("the verifier failed on it: " + e);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
