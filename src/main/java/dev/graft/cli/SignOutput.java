package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.graft.attach.CosignSignatures;
import dev.graft.oci.Json;
import java.io.PrintWriter;
import java.util.List;

/** How build and copy report what they signed: one line per signed digest, or a JSON array. */
final class SignOutput {
  private SignOutput() {}

  static void print(PrintWriter out, List<CosignSignatures.Signed> signed) {
    for (CosignSignatures.Signed s : signed) {
      out.println("Signed " + s.subject() + " with " + s.signer() + ": "
          + (s.added() ? "stored at tag " + s.tag() : "already signed (" + s.tag() + ")")
          + (s.referrer() ? " and as a referrer" : ""));
    }
  }

  static ArrayNode json(List<CosignSignatures.Signed> signed) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (CosignSignatures.Signed s : signed) {
      var n = a.addObject();
      n.put("digest", s.subject().toString());
      n.put("tag", s.tag());
      n.put("added", s.added());
      n.put("referrer", s.referrer());
      n.put("signer", s.signer());
    }
    return a;
  }
}
