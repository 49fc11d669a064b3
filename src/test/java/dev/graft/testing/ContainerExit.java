package dev.graft.testing;

/**
 * How a container that ran to its end finished: exit code, what it printed on each stream, and
 * the runtime's own error (inspect's State.Error, e.g. podman's "exec …: no such file or
 * directory" when the entrypoint could not be started; empty otherwise).
 */
public record ContainerExit(long exitCode, String stdout, String stderr, String error) {}
