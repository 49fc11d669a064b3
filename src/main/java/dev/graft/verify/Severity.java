package dev.graft.verify;

/** How bad a finding is: errors fail {@code graft verify} (exit code 1). */
public enum Severity { ERROR, WARNING, INFO }
