package dev.graft.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.graft.attach.CosignSignatures;
import dev.graft.oci.Json;
import dev.graft.sign.SigningKey;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** How build and copy report what they signed: one line per signed digest, or a JSON array. */
final class SignOutput {
  private SignOutput() {}

  static void print(PrintWriter out, List<CosignSignatures.Signed> signed, Optional<SigningKey> key) {
    for (CosignSignatures.Signed s : signed) {
      out.println("Signed " + s.subject() + " with " + key.map(SigningKey::keyId).orElse("key") + ": "
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
    }
    return a;
  }
}
