package layerfd.cli;

import picocli.CommandLine;

/** Entry point of the runnable jar that ./layerfd starts. Exit codes: 0 ok, 1 operation failed, 2 usage error. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The whole command tree, configured; tests run it in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LayerfdCommand());
        cli.setExecutionExceptionHandler(new FailureHandler());
        cli.setCaseInsensitiveEnumValuesAllowed(false);
        return cli;
    }
}
