package layerfd.cli;

/** The contract's exit codes (api-contract.md §4). */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private ExitCodes() {}
}
