package layerfd.cli;

import picocli.CommandLine.Model.CommandSpec;

/** The answer of a contract command whose implementation has not landed: say so, exit 2. */
final class NotBuiltYet {
    private NotBuiltYet() {}

    static int answer(CommandSpec spec, int issue) {
        spec.commandLine().getErr().println("layerfd " + spec.qualifiedName(" ").replaceFirst("^layerfd ", "")
                + ": not built yet (tracked in issue #" + issue + ")");
        return ExitCodes.USAGE;
    }
}
