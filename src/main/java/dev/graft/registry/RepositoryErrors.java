package dev.graft.registry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Builds the one-line RegistryExceptions for one repository. Messages say what failed, where, and
 * what to do; they never contain credentials or tokens (only where credentials came from).
 */
record RepositoryErrors(RegistryHost host, String repository) {

  private String action(Call call) {
    return call.push() ? "push to repo '" + repository + "'" : "pull from repo '" + repository + "'";
  }

  RegistryException status(Call call, int status, ErrorBody body, Optional<CredentialResolver.Found> creds) {
    return status(call, status, body, creds, 1);
  }

  /** As above, after {@code tries} tries (said in the message, so a CI log shows retries happened). */
  RegistryException status(Call call, int status, ErrorBody body, Optional<CredentialResolver.Found> creds,
      int tries) {
    // HEAD responses carry no error document: show the status's name instead of nothing.
    String codes = " " + (body.codes().isEmpty() ? reason(status) : String.join(",", body.codes()));
    String detail = "(HTTP " + status + codes.stripTrailing() + (body.firstMessage() != null && status != 401
        ? ": " + body.firstMessage() : "") + ")" + (tries > 1 ? " after " + tries + " tries" : "");
    String msg;
    boolean retryable = RegistryHttp.retryableStatus(status);
    if (status == 401) {
      msg = creds.isPresent()
          ? "registry " + host.name() + " refused the credentials from " + creds.get().source() + " for "
              + action(call) + (call.push() ? "" : " (or the repository does not exist)") + " " + detail + "; "
              + host.loginHint()
          : "registry " + host.name() + " requires credentials for " + action(call)
              + (call.push() ? "" : " (or the repository does not exist)") + " " + detail + "; "
              + host.loginHint();
    } else if (status == 403) {
      msg = "registry " + host.name() + " denied " + action(call) + " " + detail
          + "; check that " + creds.map(c -> "the account " + c.credentials().username()).orElse("an anonymous user")
          + " may " + (call.push() ? "push" : "pull") + " there";
    } else if (status == 404) {
      msg = "registry " + host.name() + " has no " + call.what() + " in repo '" + repository + "' " + detail;
    } else if (status == 429) {
      msg = "registry " + host.name() + " rate-limited " + action(call) + " " + detail
          + "; try again later" + (host.name().equals("docker.io") ? " or log in for a higher limit" : "");
    } else {
      msg = "registry " + host.name() + " failed " + action(call) + " of " + call.what() + " " + detail;
    }
    return new RegistryException(msg, host.name(), repository, operation(call), status, body.codes(), retryable, null);
  }

  RegistryException network(Call call, IOException cause) {
    String why = cause == null ? "no address answered"
        : cause.getClass().getSimpleName() + (cause.getMessage() != null ? ": " + firstLine(cause.getMessage()) : "");
    return new RegistryException("cannot reach registry " + host.name() + " for " + action(call) + " of "
        + call.what() + " (" + why + ")", host.name(), repository, operation(call), 0, List.of(), true, cause);
  }

  RegistryException tls(Call call, IOException cause) {
    return new RegistryException("cannot verify the TLS certificate of registry " + host.name() + " ("
        + firstLine(rootMessage(cause)) + "); pass --registry-cert FILE with the CA that signed it or, if you trust "
        + "the network, --insecure-registry " + host.name(), host.name(), repository, operation(call), 0,
        List.of(), false, cause);
  }

  RegistryException protocol(Call call, String what) {
    return protocol(call, what, 0);
  }

  /** A registry answer that makes no sense for the protocol; retryable when its status says overload. */
  RegistryException protocol(Call call, String what, int status) {
    return new RegistryException("registry " + host.name() + " " + what + " during " + action(call) + " of "
        + call.what(), host.name(), repository, operation(call), status, List.of(),
        RegistryHttp.retryableStatus(status), null);
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "BAD REQUEST";
      case 401 -> "UNAUTHORIZED";
      case 403 -> "FORBIDDEN";
      case 404 -> "NOT FOUND";
      case 405 -> "METHOD NOT ALLOWED";
      case 408 -> "REQUEST TIMEOUT";
      case 413 -> "PAYLOAD TOO LARGE";
      case 416 -> "RANGE NOT SATISFIABLE";
      case 429 -> "TOO MANY REQUESTS";
      case 500 -> "INTERNAL SERVER ERROR";
      case 502 -> "BAD GATEWAY";
      case 503 -> "SERVICE UNAVAILABLE";
      case 504 -> "GATEWAY TIMEOUT";
      default -> "";
    };
  }

  private static String operation(Call call) {
    return (call.push() ? "push of " : "pull of ") + call.what();
  }

  private static String rootMessage(Throwable t) {
    Throwable last = t;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null) {
        last = c;
      }
    }
    return last.getMessage() == null ? last.getClass().getSimpleName() : last.getMessage();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
