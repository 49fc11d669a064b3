package dev.graft.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One registry request as RegistryHttp sends it.
 *
 * @param method HTTP method
 * @param target a path under the API root ({@code /v2/…}) or an absolute URL (upload locations)
 * @param headers extra request headers
 * @param body the request body (opened afresh per attempt), or null for none
 * @param okStatuses statuses the caller handles; any other becomes a RegistryException
 * @param push whether the request needs push access to the repository
 * @param mountFrom another repository this request reads from (cross-repo mount), or null
 * @param what what is being transferred, for messages: "manifest 'latest'", "blob sha256:…"
 * @param idempotent whether a network failure or 5xx may be retried by repeating the request
 */
record Call(String method, String target, Map<String, String> headers, Request.Body body,
    Set<Integer> okStatuses, boolean push, String mountFrom, String what, boolean idempotent) {
  Call {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    headers = Map.copyOf(headers);
    okStatuses = Set.copyOf(okStatuses);
  }

  /** The token scopes this request needs, e.g. {@code repository:acme/app:pull,push}. */
  List<String> scopes(String repository) {
    String own = "repository:" + repository + ":" + (push ? "pull,push" : "pull");
    return mountFrom == null ? List.of(own) : List.of(own, "repository:" + mountFrom + ":pull");
  }
}
