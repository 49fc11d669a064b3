package dev.graft.cli;

import picocli.CommandLine.Command;

/** The top-level {@code graft} command. */
@Command(
    name = "graft",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
        "Daemonless container image assembler for Node.js services.",
        "",
        "Image references use skopeo's transports:",
        "  ghcr.io/org/app:tag, host:port/repo@sha256:...  a registry (docker:// prefix optional)",
        "  oci:DIR[:TAG]                                  an OCI image layout directory",
        "  oci-archive:FILE[:TAG]                         a tar of an OCI image layout",
        "  docker-archive:FILE[:NAME:TAG]                 a docker-save tar (docker/podman load read it)",
    },
    subcommands = {
        VersionCommand.class,
        CopyCommand.class,
        BuildCommand.class,
        InspectCommand.class,
        RecipesCommand.class,
        LsCommand.class,
        ExtractCommand.class,
        VerifyCommand.class,
        PlanCommand.class,
        SchemaCommand.class,
        VerifySignatureCommand.class,
        SbomCommand.class,
    })
public final class GraftCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The top command with only the subcommand being run attached ({@link Main#commandLine}). */
  @Command(name = "graft", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class)
  static final class Alone implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }
}
