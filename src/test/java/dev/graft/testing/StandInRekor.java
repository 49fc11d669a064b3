package dev.graft.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A stand-in for Rekor's v1 API on 127.0.0.1 (plain HTTP): {@code POST /api/v1/log/entries} logs
 * the proposed entry as it came (the body Rekor returns is the base64 of the canonical entry, which
 * for hashedrekord is what sigstore-java sends), keeps an RFC 6962 Merkle tree of all entries, and
 * answers as Rekor does: the entry with its integrated time, index and log ID, the signed entry
 * timestamp, and an inclusion proof with a signed checkpoint. Every signature is openssl's, with the
 * Rekor key of {@link StandInSigstore}; the tree arithmetic is this class's.
 */
public final class StandInRekor implements AutoCloseable {
  private final HttpServer server;
  private final List<byte[]> leaves = new ArrayList<>();
  private Path dir;

  private StandInRekor() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/log/entries", this::handle);
    server.start();
  }

  /** Starts the server; it answers once {@link #useKeysIn} names the stand-in's directory. */
  public static StandInRekor start() throws IOException {
    return new StandInRekor();
  }

  public void useKeysIn(Path standInDir) {
    this.dir = standInDir;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public synchronized int entries() {
    return leaves.size();
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    try {
      if (!"POST".equals(exchange.getRequestMethod()) || dir == null) {
        send(exchange, 405, "{\"message\":\"only POST\"}", null);
        return;
      }
      byte[] entry = exchange.getRequestBody().readAllBytes();
      ObjectMapper json = new ObjectMapper();
      if (!"hashedrekord".equals(json.readTree(entry).path("kind").asText())) {
        send(exchange, 400, "{\"message\":\"the stand-in logs hashedrekord entries only\"}", null);
        return;
      }
      leaves.add(entry);
      int index = leaves.size() - 1;
      int size = leaves.size();
      String body = Base64.getEncoder().encodeToString(entry);
      long time = System.currentTimeMillis() / 1000;
      byte[] logKeyId = sha256(Files.readAllBytes(dir.resolve("rekor.der")));
      String logId = HexFormat.of().formatHex(logKeyId);
      String signable = "{\"body\":\"" + body + "\",\"integratedTime\":" + time + ",\"logID\":\"" + logId
          + "\",\"logIndex\":" + index + "}";
      String set = Base64.getEncoder().encodeToString(opensslSign(signable.getBytes(StandardCharsets.UTF_8)));
      byte[] root = treeHash(0, size);
      String host = "127.0.0.1";
      String note = host + " - 4711\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
      byte[] noteSig = opensslSign(note.getBytes(StandardCharsets.UTF_8));
      byte[] hintAndSig = new byte[4 + noteSig.length];
      System.arraycopy(logKeyId, 0, hintAndSig, 0, 4);
      System.arraycopy(noteSig, 0, hintAndSig, 4, noteSig.length);
      String checkpoint = note + "\n\u2014 " + host + " " + Base64.getEncoder().encodeToString(hintAndSig) + "\n";

      ObjectNode answer = json.createObjectNode();
      String uuid = HexFormat.of().formatHex(leafHash(entry));
      ObjectNode e = answer.putObject(uuid);
      e.put("body", body);
      e.put("integratedTime", time);
      e.put("logID", logId);
      e.put("logIndex", index);
      ObjectNode verification = e.putObject("verification");
      verification.put("signedEntryTimestamp", set);
      ObjectNode proof = verification.putObject("inclusionProof");
      proof.put("checkpoint", checkpoint);
      proof.put("logIndex", index);
      proof.put("rootHash", HexFormat.of().formatHex(root));
      proof.put("treeSize", size);
      var hashes = proof.putArray("hashes");
      path(index, 0, size).forEach(h -> hashes.add(HexFormat.of().formatHex(h)));
      send(exchange, 201, json.writeValueAsString(answer), "/api/v1/log/entries/" + uuid);
    } catch (Exception e) {
      send(exchange, 500, "{\"message\":\"" + e.toString().replace('"', '\'') + "\"}", null);
    }
  }

  private byte[] opensslSign(byte[] data) throws IOException {
    Path in = Files.createTempFile(dir, "rekor", ".in");
    Path sig = Files.createTempFile(dir, "rekor", ".sig");
    Files.write(in, data);
    Tools.runOk(Duration.ofMinutes(1), "openssl", "dgst", "-sha256", "-sign", dir.resolve("rekor.key").toString(),
        "-out", sig.toString(), in.toString());
    return Files.readAllBytes(sig);
  }

  /** RFC 6962 §2.1: MTH of leaves [from, from + n). */
  private byte[] treeHash(int from, int n) {
    if (n == 1) {
      return leafHash(leaves.get(from));
    }
    int k = Integer.highestOneBit(n - 1);
    return node(treeHash(from, k), treeHash(from + k, n - k));
  }

  /** RFC 6962 §2.1.1: the audit path of leaf m in the tree of leaves [from, from + n), leaf first. */
  private List<byte[]> path(int m, int from, int n) {
    List<byte[]> out = new ArrayList<>();
    if (n == 1) {
      return out;
    }
    int k = Integer.highestOneBit(n - 1);
    if (m < k) {
      out.addAll(path(m, from, k));
      out.add(treeHash(from + k, n - k));
    } else {
      out.addAll(path(m - k, from + k, n - k));
      out.add(treeHash(from, k));
    }
    return out;
  }

  private static byte[] leafHash(byte[] leaf) {
    byte[] b = new byte[leaf.length + 1];
    System.arraycopy(leaf, 0, b, 1, leaf.length);
    return sha256(b);
  }

  private static byte[] node(byte[] left, byte[] right) {
    byte[] b = new byte[1 + left.length + right.length];
    b[0] = 1;
    System.arraycopy(left, 0, b, 1, left.length);
    System.arraycopy(right, 0, b, 1 + left.length, right.length);
    return sha256(b);
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, String body, String location) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (location != null) {
      exchange.getResponseHeaders().add("Location", location);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  @Override
  public String toString() {
    return "stand-in Rekor at " + url() + " (" + Arrays.toString(new int[] {leaves.size()}) + " entries)";
  }
}
