package dev.graft.supply;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.oci.Digest;
import dev.graft.oci.Json;
import java.util.TreeMap;

/**
 * An in-toto Statement v1 with a SLSA Provenance v1 predicate for one platform image: the build
 * definition (graft's build type, the configuration files by digest, the platform,
 * SOURCE_DATE_EPOCH) and its resolved dependencies (base and builder by manifest digest, local
 * directories by the diffID of the layer made from them), run by graft at its version. No wall
 * clock, host or user: the same build gives the same bytes.
 */
public final class Provenance {
  public static final String MEDIA_TYPE = "application/vnd.in-toto+json";
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
  public static final String BUILD_TYPE = "https://github.com/graft-dev/graft/blob/main/docs/supply-chain.md#provenance-v1";

  private Provenance() {}

  public static byte[] statement(ProvenanceInput in) {
    ObjectNode root = Json.object();
    root.put("_type", STATEMENT_TYPE);
    ObjectNode subject = root.putArray("subject").addObject();
    subject.put("name", in.subjectName());
    subject.set("digest", digestSet(in.manifestDigest()));
    root.put("predicateType", PREDICATE_TYPE);
    ObjectNode predicate = root.putObject("predicate");
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", BUILD_TYPE);
    ObjectNode external = definition.putObject("externalParameters");
    ObjectNode config = external.putObject("config");
    new TreeMap<>(in.configFiles()).forEach((name, digest) -> config.set(name, digestSet(digest)));
    external.put("platform", in.platform().toString());
    ObjectNode internal = definition.putObject("internalParameters");
    internal.put("SOURCE_DATE_EPOCH", Long.toString(in.epoch().getEpochSecond()));
    ArrayNode deps = definition.putArray("resolvedDependencies");
    add(deps, in.base());
    in.builder().ifPresent(b -> add(deps, b));
    in.localInputs().forEach(d -> add(deps, d));
    ObjectNode run = predicate.putObject("runDetails");
    ObjectNode builder = run.putObject("builder");
    builder.put("id", "https://github.com/graft-dev/graft@" + in.toolVersion());
    builder.putObject("version").put("graft", in.toolVersion());
    return Json.write(root);
  }

  private static void add(ArrayNode deps, ProvenanceInput.Dependency d) {
    ObjectNode n = deps.addObject();
    n.put("name", d.name());
    n.put("uri", d.uri());
    n.set("digest", digestSet(d.digest()));
  }

  private static ObjectNode digestSet(Digest d) {
    ObjectNode n = Json.object();
    n.put(d.algorithm(), d.hex());
    return n;
  }
}
