package layerfd.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import layerfd.conformance.peer.TestPeerServer;
import layerfd.conformance.report.ConformanceReport;
import layerfd.conformance.server.ExpectationSource;
import layerfd.conformance.server.ServerOptions;
import layerfd.conformance.server.ServerRunner;
import layerfd.conformance.transport.PeerQuirks;
import layerfd.conformance.transport.TransportOptions;
import layerfd.conformance.transport.TransportRunner;
import layerfd.protocol.fdpass.FdpassOptions;
import layerfd.server.store.config.StoreOverrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "conformance", description = "Check that a peer speaks the layerfd wire.",
        subcommands = {ConformanceCommand.Transport.class, ConformanceCommand.Server.class,
                ConformanceCommand.Peer.class})
final class ConformanceCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a conformance suite is required: transport or server");
    }

    /** One line per check and the closing line, or one JSON document; exit 1 on any FAIL. */
    static int print(CommandSpec spec, ConformanceReport report, boolean json) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, report.toJson());
        } else {
            report.checks().forEach(c -> out.println(c.line()));
            out.println(report.closingLine());
            out.flush();
        }
        return report.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    @Command(name = "transport", description = "Drive any jsonrpc-fdpass peer implementing echo, readFile, createPipe.")
    static final class Transport implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        SocketOption socket;
        @Mixin
        JsonOption json;
        @Option(names = "--peer-quirks", paramLabel = "none|go", defaultValue = "none",
                description = "SKIP (with the reason) the checks a known peer's defects make impossible: go = "
                        + "float64 ids, omitted null result. Default none: strict.")
        String quirks;
        @Option(names = "--max-fds-per-sendmsg", paramLabel = "N",
                defaultValue = "" + FdpassOptions.DEFAULT_MAX_FDS_PER_SENDMSG,
                description = "fds per sendmsg the runner sends (8 imitates the old Go copy). Default: ${DEFAULT-VALUE}.")
        int maxFdsPerSendmsg;

        @Override
        public Integer call() throws Exception {
            TransportOptions options;
            try {
                options = new TransportOptions(socket.resolve(), PeerQuirks.parse(quirks), maxFdsPerSendmsg);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            return print(spec, TransportRunner.run(options), json.json);
        }
    }

    @Command(name = "server", description = "Drive any server of GetImage, GetSplitFDStream, GetLayerSplitfdstream.")
    static final class Server implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--image", paramLabel = "IMAGE", required = true, description = "Image to stream.")
        String image;
        @Mixin
        SocketOption socket;
        @Mixin
        JsonOption json;
        @Option(names = "--expect", paramLabel = "FILE",
                description = "Expected layers: JSON {\"<layer id>\": {\"digest\": \"sha256:...\", \"size\": N}}.")
        Path expect;
        @Mixin
        StorageOptions storage;
        @Option(names = "--lenient", description = "Tolerate an unsealed stream memfd and writable content fds "
                + "(upstream servers): SKIP instead of FAIL.")
        boolean lenient;

        @Override
        public Integer call() throws Exception {
            return print(spec, ServerRunner.run(new ServerOptions(socket.resolve(), image, lenient, source())),
                    json.json);
        }

        /** --expect, else the store when any store option is given, else the config's diff_ids. */
        private ExpectationSource source() {
            boolean store = storage.root != null || storage.runRoot != null || storage.driver != null
                    || storage.storageConf != null;
            if (expect != null && store) {
                throw new ParameterException(spec.commandLine(), "--expect and the store options exclude each other");
            }
            if (expect != null) {
                return new ExpectationSource.ExpectFile(expect);
            }
            if (store) {
                return new ExpectationSource.FromStore(new StoreOverrides(Optional.ofNullable(storage.root),
                        Optional.ofNullable(storage.runRoot), Optional.ofNullable(storage.driver),
                        Optional.ofNullable(storage.storageConf)));
            }
            return new ExpectationSource.FromConfig();
        }
    }

    /** layerfd's own test peer (echo, readFile, createPipe, fdCount, echoFds) until SIGTERM or a shutdown notice. */
    @Command(name = "peer", hidden = true, description = "Serve layerfd's transport test peer on --socket.")
    static final class Peer implements Callable<Integer> {
        @Mixin
        SocketOption socket;
        @Option(names = "--max-fds-per-sendmsg", paramLabel = "N",
                defaultValue = "" + FdpassOptions.DEFAULT_MAX_FDS_PER_SENDMSG, description = "fds per sendmsg.")
        int maxFdsPerSendmsg;

        @Override
        public Integer call() throws Exception {
            TestPeerServer server = TestPeerServer.start(socket.resolve(),
                    FdpassOptions.defaults().withMaxFdsPerSendmsg(maxFdsPerSendmsg));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            System.err.println("layerfd test peer: serving on " + server.socket());
            server.awaitStopped();
            return ExitCodes.OK;
        }
    }
}
