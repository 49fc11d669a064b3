package dev.graft.testing;

/** How a container that ran to its end finished: exit code and what it printed on each stream. */
public record ContainerExit(long exitCode, String stdout, String stderr) {}
