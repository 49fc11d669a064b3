/**
 * The build cache kept in a registry: after a push, a small OCI artifact maps each layer's input
 * key (the local layer cache's content key) to the layer it built, and carries the selection and
 * verification records the build used; a build on a machine with an empty local cache reads it
 * and reuses every layer whose key matches and whose blob the registry still holds. Read, written
 * and checked here; the build pipeline sees it only as a {@link dev.graft.layer.SharedCache}.
 */
package dev.graft.buildcache;
