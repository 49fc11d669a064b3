/**
 * Registry access over the OCI distribution API: {@link dev.graft.registry.RegistrySource} pulls,
 * {@link dev.graft.registry.RegistrySink} pushes.
 *
 * <p>The HTTP protocol is graft's own ({@link dev.graft.registry.RegistryHttp} over the JDK's
 * HttpURLConnection, see {@link dev.graft.registry.Transport}) because jib-core's RegistryClient
 * re-serialises manifests, which would change their digests; jib-core is used only for reading
 * credentials (docker config auths, credsStore, credHelpers) and nothing outside this package
 * imports it.
 *
 * <p>Security choices: credentials never leave the registry's own host (redirects are followed
 * by hand); no message, toString or log holds a password or token; plain HTTP and unverified
 * TLS only for registries named insecure (and plain HTTP for loopback registries that do not
 * speak TLS: see {@link dev.graft.registry.RegistryHost}); every manifest and blob is checked
 * against its digest and size, and manifests are bounded by {@code Json.MAX_DOCUMENT_BYTES}.
 */
package dev.graft.registry;
