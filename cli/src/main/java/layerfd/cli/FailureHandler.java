package layerfd.cli;

import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception escaping a command into one line on stderr and exit code 1: a user sees what failed and
 * why, never a stack trace. LAYERFD_DEBUG=1 prints the trace as well.
 */
final class FailureHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        String what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (!(e instanceof IOException) && !(e instanceof IllegalArgumentException)) {
            what = e.getClass().getSimpleName() + ": " + what;
        }
        command.getErr().println("layerfd " + command.getCommandName() + ": " + what);
        if ("1".equals(System.getenv("LAYERFD_DEBUG"))) {
            e.printStackTrace(command.getErr());
        }
        return ExitCodes.FAILED;
    }
}
