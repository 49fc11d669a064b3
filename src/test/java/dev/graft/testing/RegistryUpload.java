package dev.graft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Puts hand-made blobs and manifests into a plain-HTTP test registry over the distribution API,
 * without graft's registry code: for hostile or foreign artifacts the tests make themselves.
 */
public final class RegistryUpload {
  private RegistryUpload() {}

  /** Uploads {@code bytes} as a blob of {@code repository}; returns its digest ({@code sha256:…}). */
  public static String blob(String hostPort, String repository, byte[] bytes) throws IOException {
    String digest = sha256(bytes);
    HttpURLConnection post = open("http://" + hostPort + "/v2/" + repository + "/blobs/uploads/", "POST");
    post.setFixedLengthStreamingMode(0);
    post.setDoOutput(true);
    post.getOutputStream().close();
    expect(post, 202);
    String location = post.getHeaderField("Location");
    String url = (location.startsWith("http") ? location : "http://" + hostPort + location)
        + (location.contains("?") ? "&" : "?") + "digest=" + digest;
    HttpURLConnection put = open(url, "PUT");
    put.setRequestProperty("Content-Type", "application/octet-stream");
    send(put, bytes);
    expect(put, 201);
    return digest;
  }

  /** Puts a manifest under {@code reference} (a tag or digest); returns its digest. */
  public static String manifest(String hostPort, String repository, String reference, String mediaType, byte[] bytes)
      throws IOException {
    HttpURLConnection put = open("http://" + hostPort + "/v2/" + repository + "/manifests/" + reference, "PUT");
    put.setRequestProperty("Content-Type", mediaType);
    send(put, bytes);
    expect(put, 201);
    return sha256(bytes);
  }

  /** GETs a manifest or blob path under /v2/ (e.g. {@code acme/app/manifests/graft-cache}). */
  public static byte[] get(String hostPort, String path, String accept) throws IOException {
    HttpURLConnection get = open("http://" + hostPort + "/v2/" + path, "GET");
    if (accept != null) {
      get.setRequestProperty("Accept", accept);
    }
    expect(get, 200);
    try (InputStream in = get.getInputStream()) {
      return in.readAllBytes();
    }
  }

  /** Deletes a blob from a repository (the registry must allow deletes, as RealRegistry's does). */
  public static void deleteBlob(String hostPort, String repository, String digest) throws IOException {
    expect(open("http://" + hostPort + "/v2/" + repository + "/blobs/" + digest, "DELETE"), 202);
  }

  private static HttpURLConnection open(String url, String method) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setRequestMethod(method);
    c.setInstanceFollowRedirects(false);
    return c;
  }

  private static void send(HttpURLConnection c, byte[] bytes) throws IOException {
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(bytes.length);
    try (OutputStream out = c.getOutputStream()) {
      out.write(bytes);
    }
  }

  private static void expect(HttpURLConnection c, int status) throws IOException {
    int got = c.getResponseCode();
    if (got != status) {
      InputStream err = c.getErrorStream();
      String body = err == null ? "" : new String(err.readAllBytes(), StandardCharsets.UTF_8);
      throw new IOException(c.getRequestMethod() + " " + c.getURL() + ": " + got + " " + body);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
