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
        "  ghcr.io/org/app:tag     a registry (docker:// prefix optional; node:20 is",
        "                          Docker Hub's library/node:20)",
        "  oci:DIR[:TAG]           an OCI image layout directory",
        "  oci-archive:FILE[:TAG]  a tar of an OCI image layout",
        "  docker-archive:FILE[:NAME:TAG]",
        "                          a docker-save tar (docker/podman load read it)",
        "",
    },
    commandListHeading = "Commands:%n",
    footerHeading = "%nExamples:%n",
    footer = {
        "  graft build -f graft.yaml --to ghcr.io/acme/app --tag 1.2.3",
        "  graft verify oci-archive:app.tar --all",
        "  graft help build",
        "  source <(graft completion bash)",
        "",
        "See README.md and docs/cli.md; 'graft help COMMAND' shows a command's options.",
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
        CompletionCommand.class,
        picocli.CommandLine.HelpCommand.class,
        VerifySignatureCommand.class,
        SbomCommand.class,
    })
public final class GraftCommand extends TopLevelCommand {
  /** The top command with only the subcommand being run attached ({@link Main#commandLine}). */
  @Command(name = "graft", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class)
  static final class Alone extends TopLevelCommand {}
}
