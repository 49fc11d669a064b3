/**
 * Keyless signing and its verification (Sigstore: an OIDC identity token, a Fulcio certificate for
 * an ephemeral key, a Rekor transparency-log entry), stored as cosign stores it. The only package
 * that touches sigstore-java, so a run without {@code --keyless} or {@code --certificate-identity}
 * loads none of it (nor gRPC and protobuf behind it).
 */
package dev.graft.keyless;
