package layerfd.cli;

import picocli.CommandLine.Option;

/** --json: print one JSON document instead of text. */
final class JsonOption {
    @Option(names = "--json", description = "Print one JSON document (for scripts).")
    boolean json;
}
