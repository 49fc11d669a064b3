package dev.graft.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 reverse proxy on 127.0.0.1 between graft and a real registry that injects
 * faults: statuses (500, 503, 429 with Retry-After…), connection resets before the response and
 * in the middle of an upload, truncated response bodies, stalls, and blob downloads redirected to
 * a second listener on another host name (127.0.0.2) that records whether credentials reached it.
 * Bodies stream through (nothing is held whole). One exchange per connection (Connection: close),
 * so framing stays simple. Every request is logged in order, with the status it got.
 */
public final class FaultProxy implements AutoCloseable {
  /** One request as the proxy saw it: {@code status} 0 when it got no response. */
  public record Request(String method, String target, int status, String fault, boolean authorization,
      String range) {}

  /** A request the object-store listener served after a redirect. */
  public record ObjectRequest(String target, boolean authorization) {}

  /** Matches requests by method and target (path and query); applies its fault to some of them. */
  public static final class Rule {
    private final String method;
    private final Pattern target;
    private final Fault fault;
    private volatile int skip;
    private volatile int times = 1;
    private final AtomicInteger seen = new AtomicInteger();

    private Rule(String method, String target, Fault fault) {
      this.method = method;
      this.target = Pattern.compile(target);
      this.fault = fault;
    }

    /** Lets the first {@code n} matching requests through untouched. */
    public Rule skip(int n) {
      skip = n;
      return this;
    }

    /** Applies the fault to {@code n} matching requests (default 1: a transient fault). */
    public Rule times(int n) {
      times = n;
      return this;
    }

    /** Applies the fault to every matching request: a permanent fault. */
    public Rule always() {
      return times(Integer.MAX_VALUE);
    }

    /** Requests that matched so far. */
    public int matched() {
      return seen.get();
    }

    private boolean applies(HttpHead head) {
      if (!head.method().equals(method) || !target.matcher(head.target()).matches()) {
        return false;
      }
      int n = seen.incrementAndGet();
      return n > skip && n - skip <= times;
    }
  }

  private final String upstreamHost;
  private final int upstreamPort;
  private final ServerSocket server;
  private final ServerSocket objectStore;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  /** Entries are added when a request arrives and completed when it ends, so a stalled one shows. */
  private final List<java.util.concurrent.atomic.AtomicReference<Request>> log = new CopyOnWriteArrayList<>();
  private final List<ObjectRequest> objectLog = new CopyOnWriteArrayList<>();
  private final Map<String, Path> objects = new ConcurrentHashMap<>();
  private final AtomicInteger objectIds = new AtomicInteger();
  private final Path spool;
  private volatile boolean closed;

  private FaultProxy(String upstreamHostPort) throws IOException {
    int colon = upstreamHostPort.lastIndexOf(':');
    this.upstreamHost = upstreamHostPort.substring(0, colon);
    this.upstreamPort = Integer.parseInt(upstreamHostPort.substring(colon + 1));
    this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.objectStore = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"));
    this.spool = Files.createTempDirectory("fault-proxy");
    pool.execute(() -> accept(server, this::exchange));
    pool.execute(() -> accept(objectStore, this::serveObject));
  }

  /** Starts a proxy in front of {@code upstream} ({@code host:port}, plain HTTP). */
  public static FaultProxy start(String upstream) throws IOException {
    return new FaultProxy(upstream);
  }

  /** {@code 127.0.0.1:PORT}: the registry name graft should use. */
  public String hostPort() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Adds a rule; rules are tried in the order added, the first that applies wins. */
  public Rule on(String method, String targetRegex, Fault fault) {
    Rule r = new Rule(method, targetRegex, fault);
    rules.add(r);
    return r;
  }

  /** Removes every rule: the registry is healthy again. */
  public void heal() {
    rules.clear();
  }

  /** Every request so far in arrival order; status -1 while one is still under way. */
  public List<Request> requests() {
    return log.stream().map(java.util.concurrent.atomic.AtomicReference::get).toList();
  }

  /** Requests whose method is {@code method} and whose target matches {@code targetRegex}. */
  public List<Request> requests(String method, String targetRegex) {
    Pattern p = Pattern.compile(targetRegex);
    return requests().stream().filter(r -> r.method().equals(method) && p.matcher(r.target()).matches()).toList();
  }

  public List<ObjectRequest> objectRequests() {
    return List.copyOf(objectLog);
  }

  /** Forgets the request logs (e.g. between a failed run and its re-run). */
  public void clearLog() {
    log.clear();
    objectLog.clear();
  }

  @FunctionalInterface
  private interface Handler {
    void handle(Socket s) throws IOException;
  }

  private void accept(ServerSocket listener, Handler handler) {
    while (!closed) {
      Socket s;
      try {
        s = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      pool.execute(() -> {
        try (s) {
          s.setSoTimeout(120_000); // a stuck peer cannot keep a thread forever
          handler.handle(s);
        } catch (IOException e) {
          // the client or the registry went away: nothing to answer
        }
      });
    }
  }

  private void exchange(Socket client) throws IOException {
    InputStream in = new BufferedInputStream(client.getInputStream());
    OutputStream out = new BufferedOutputStream(client.getOutputStream());
    HttpHead head = HttpHead.read(in);
    if (head == null) {
      return; // not HTTP (graft tries TLS first on loopback) or nothing at all
    }
    Fault fault = null;
    for (Rule r : rules) {
      if (r.applies(head)) {
        fault = r.fault;
        break;
      }
    }
    String name = fault == null ? null : fault.getClass().getSimpleName();
    boolean auth = head.header("Authorization") != null;
    String range = head.header("Range");
    var entry = new java.util.concurrent.atomic.AtomicReference<>(
        new Request(head.method(), head.target(), -1, name, auth, range));
    log.add(entry);
    int status;
    if (fault == null) {
      status = forward(head, in, out, Long.MAX_VALUE, -1, Duration.ZERO, Long.MAX_VALUE);
    } else if (fault instanceof Fault.Status st) {
      drainBody(head, in);
      respond(out, st.code(), st.retryAfter() == null ? List.of() : List.of(Map.entry("Retry-After", st.retryAfter())),
          "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected by FaultProxy\"}]}"
              .getBytes(StandardCharsets.UTF_8));
      status = st.code();
    } else if (fault instanceof Fault.ErrorCode ec) {
      drainBody(head, in);
      respond(out, ec.status(), List.of(), ("{\"errors\":[{\"code\":\"" + ec.code()
          + "\",\"message\":\"injected by FaultProxy\"}]}").getBytes(StandardCharsets.UTF_8));
      status = ec.status();
    } else if (fault instanceof Fault.Challenge ch) {
      drainBody(head, in);
      respond(out, 401, List.of(Map.entry("WWW-Authenticate", ch.header())),
          "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"injected by FaultProxy\"}]}"
              .getBytes(StandardCharsets.UTF_8));
      status = 401;
    } else if (fault instanceof Fault.ResetBeforeResponse) {
      drainBody(head, in);
      reset(client);
      status = 0;
    } else if (fault instanceof Fault.ResetMidRequest rm) {
      forward(head, in, out, rm.afterBytes(), -1, Duration.ZERO, Long.MAX_VALUE);
      reset(client);
      status = 0;
    } else if (fault instanceof Fault.TruncateBody tb) {
      status = forward(head, in, out, Long.MAX_VALUE, tb.afterBytes(), Duration.ZERO, Long.MAX_VALUE);
    } else if (fault instanceof Fault.StallBeforeResponse sb) {
      sleep(sb.delay());
      if (sb.thenReset()) {
        drainBody(head, in);
        reset(client);
        status = 0;
      } else {
        status = forward(head, in, out, Long.MAX_VALUE, -1, Duration.ZERO, Long.MAX_VALUE);
      }
    } else if (fault instanceof Fault.StallBody sb) {
      status = forward(head, in, out, Long.MAX_VALUE, -1, sb.delay(), sb.afterBytes());
    } else {
      status = redirect(head, in, out);
    }
    entry.set(new Request(head.method(), head.target(), status, name, auth, range));
  }

  /**
   * Sends the request upstream and the response back. {@code requestLimit}: body bytes forwarded
   * before giving up (a reset mid-upload); {@code truncateAt}: response body bytes sent before
   * closing (-1: all); {@code stallAt}/{@code stall}: a pause in the response body.
   */
  private int forward(HttpHead head, InputStream in, OutputStream out, long requestLimit, long truncateAt,
      Duration stall, long stallAt) throws IOException {
    try (Socket up = new Socket()) {
      up.connect(new InetSocketAddress(upstreamHost, upstreamPort), 10_000);
      up.setSoTimeout(120_000);
      OutputStream upOut = new BufferedOutputStream(up.getOutputStream());
      head.closing().write(upOut);
      if (!copyBody(head, in, upOut, requestLimit)) {
        reset(up);
        return 0;
      }
      upOut.flush();
      InputStream upIn = new BufferedInputStream(up.getInputStream());
      HttpHead response = HttpHead.read(upIn);
      if (response == null) {
        return 0;
      }
      response.closing().write(out);
      if (!head.method().equals("HEAD")) {
        copyUntilEnd(upIn, out, truncateAt, stall, stallAt);
      }
      out.flush();
      return response.status();
    }
  }

  /** Copies the request body (Content-Length or chunked); false when stopped at {@code limit}. */
  private static boolean copyBody(HttpHead head, InputStream in, OutputStream out, long limit) throws IOException {
    if (head.chunked()) {
      return Chunked.copy(in, out, limit);
    }
    long length = Math.max(0, head.contentLength());
    long n = Math.min(length, limit);
    copyExactly(in, out, n);
    return n == length;
  }

  private static void drainBody(HttpHead head, InputStream in) throws IOException {
    copyBody(head, in, OutputStream.nullOutputStream(), Long.MAX_VALUE);
  }

  private static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new IOException("request body ended early");
      }
      out.write(buf, 0, r);
      left -= r;
    }
    out.flush();
  }

  /** The upstream answers with Connection: close, so its body runs to the end of the stream. */
  private void copyUntilEnd(InputStream in, OutputStream out, long truncateAt, Duration stall, long stallAt)
      throws IOException {
    byte[] buf = new byte[64 * 1024];
    long sent = 0;
    while (true) {
      if (truncateAt >= 0 && sent >= truncateAt) {
        return;
      }
      if (sent == stallAt) {
        out.flush();
        sleep(stall);
        stallAt = Long.MAX_VALUE;
      }
      long cap = buf.length;
      if (truncateAt >= 0) {
        cap = Math.min(cap, truncateAt - sent);
      }
      if (sent < stallAt) {
        cap = Math.min(cap, stallAt - sent);
      }
      int r = in.read(buf, 0, (int) cap);
      if (r < 0) {
        return;
      }
      out.write(buf, 0, r);
      sent += r;
    }
  }

  /** Fetches the blob from the registry (with the client's credentials) and redirects to a copy elsewhere. */
  private int redirect(HttpHead head, InputStream in, OutputStream out) throws IOException {
    Path file = spool.resolve("object-" + objectIds.incrementAndGet());
    int status;
    try (OutputStream f = Files.newOutputStream(file)) {
      java.io.ByteArrayOutputStream headBytes = new java.io.ByteArrayOutputStream();
      status = forwardTo(head, in, headBytes, f);
    }
    if (status != 200) {
      respond(out, status, List.of(), new byte[0]);
      return status;
    }
    String id = file.getFileName().toString();
    objects.put(id, file);
    String location = "http://127.0.0.2:" + objectStore.getLocalPort() + "/objects/" + id;
    respond(out, 307, List.of(Map.entry("Location", location)), new byte[0]);
    return 307;
  }

  private int forwardTo(HttpHead head, InputStream in, OutputStream headSink, OutputStream bodySink)
      throws IOException {
    try (Socket up = new Socket()) {
      up.connect(new InetSocketAddress(upstreamHost, upstreamPort), 10_000);
      OutputStream upOut = new BufferedOutputStream(up.getOutputStream());
      head.closing().write(upOut);
      copyBody(head, in, upOut, Long.MAX_VALUE);
      upOut.flush();
      InputStream upIn = new BufferedInputStream(up.getInputStream());
      HttpHead response = HttpHead.read(upIn);
      if (response == null) {
        return 502;
      }
      response.write(headSink);
      upIn.transferTo(bodySink);
      return response.status();
    }
  }

  private void serveObject(Socket client) throws IOException {
    InputStream in = new BufferedInputStream(client.getInputStream());
    OutputStream out = new BufferedOutputStream(client.getOutputStream());
    HttpHead head = HttpHead.read(in);
    if (head == null) {
      return;
    }
    objectLog.add(new ObjectRequest(head.target(), head.header("Authorization") != null));
    Path file = objects.get(head.target().substring(head.target().lastIndexOf('/') + 1));
    if (file == null) {
      respond(out, 404, List.of(), new byte[0]);
      return;
    }
    // Object stores ignore nothing, but this one ignores Range: graft must cope by skipping.
    new HttpHead("HTTP/1.1 200 OK", List.of(Map.entry("Content-Length", String.valueOf(Files.size(file))),
        Map.entry("Content-Type", "application/octet-stream"), Map.entry("Connection", "close"))).write(out);
    if (!head.method().equals("HEAD")) {
      Files.copy(file, out);
    }
    out.flush();
  }

  private static void respond(OutputStream out, int status, List<Map.Entry<String, String>> extra, byte[] body)
      throws IOException {
    List<Map.Entry<String, String>> h = new ArrayList<>(extra);
    h.add(Map.entry("Content-Type", "application/json"));
    h.add(Map.entry("Content-Length", String.valueOf(body.length)));
    h.add(Map.entry("Connection", "close"));
    new HttpHead("HTTP/1.1 " + status + " Injected", h).write(out);
    out.write(body);
    out.flush();
  }

  /** Closes with RST rather than FIN: the peer sees "connection reset". */
  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (SocketException e) {
      // already gone
    } catch (IOException e) {
      // already gone
    }
  }

  private void sleep(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    while (!closed && System.nanoTime() < until) {
      try {
        Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    objectStore.close();
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.list(spool)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(spool);
  }
}
