package layerfd.server;

import java.time.Duration;

/**
 * The server's resource bounds. Passing one of the first three is answered -32006 (api-contract §3.5); the others
 * shape behaviour without an error.
 *
 * @param maxConnections              clients connected at once; one more is refused with -32006 and closed
 * @param maxStreamsPerConnection     layer streams of one connection at once: GetSplitFDStream and
 *                                    GetLayerSplitfdstream being served plus windowed streams open
 * @param maxFdsInFlightPerConnection descriptors opened for one connection's responses and not yet sent
 * @param maxFdsPerResponse           content fds one GetSplitFDStream/GetLayerSplitfdstream response may carry; a
 *                                    layer with more external files must use the windowed stream
 * @param maxRequestsPerConnection    requests of one connection handled at once; the server stops reading that
 *                                    connection (back-pressure) while all are busy
 * @param shutdownGrace               how long in-flight requests may run on after SIGTERM before connections are cut
 */
public record ServerLimits(int maxConnections, int maxStreamsPerConnection, int maxFdsInFlightPerConnection,
                           int maxFdsPerResponse, int maxRequestsPerConnection, Duration shutdownGrace) {
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 16;
    /** Sized for the largest single response plus its stream fd, so one connection can use the whole response cap. */
    public static final int DEFAULT_MAX_FDS_IN_FLIGHT_PER_CONNECTION = 65_537;
    /** 65,536 content fds: past this a response is refused and the client pointed to OpenLayerStream. */
    public static final int DEFAULT_MAX_FDS_PER_RESPONSE = 65_536;
    public static final int DEFAULT_MAX_REQUESTS_PER_CONNECTION = 64;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    public ServerLimits {
        requirePositive("maxConnections", maxConnections);
        requirePositive("maxStreamsPerConnection", maxStreamsPerConnection);
        requirePositive("maxFdsInFlightPerConnection", maxFdsInFlightPerConnection);
        requirePositive("maxFdsPerResponse", maxFdsPerResponse);
        requirePositive("maxRequestsPerConnection", maxRequestsPerConnection);
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative, got " + shutdownGrace);
        }
    }

    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_STREAMS_PER_CONNECTION,
                DEFAULT_MAX_FDS_IN_FLIGHT_PER_CONNECTION, DEFAULT_MAX_FDS_PER_RESPONSE,
                DEFAULT_MAX_REQUESTS_PER_CONNECTION, DEFAULT_SHUTDOWN_GRACE);
    }

    public ServerLimits withMaxConnections(int value) {
        return new ServerLimits(value, maxStreamsPerConnection, maxFdsInFlightPerConnection, maxFdsPerResponse,
                maxRequestsPerConnection, shutdownGrace);
    }

    public ServerLimits withMaxStreamsPerConnection(int value) {
        return new ServerLimits(maxConnections, value, maxFdsInFlightPerConnection, maxFdsPerResponse,
                maxRequestsPerConnection, shutdownGrace);
    }

    public ServerLimits withMaxFdsInFlightPerConnection(int value) {
        return new ServerLimits(maxConnections, maxStreamsPerConnection, value, maxFdsPerResponse,
                maxRequestsPerConnection, shutdownGrace);
    }

    public ServerLimits withMaxFdsPerResponse(int value) {
        return new ServerLimits(maxConnections, maxStreamsPerConnection, maxFdsInFlightPerConnection, value,
                maxRequestsPerConnection, shutdownGrace);
    }

    public ServerLimits withShutdownGrace(Duration value) {
        return new ServerLimits(maxConnections, maxStreamsPerConnection, maxFdsInFlightPerConnection,
                maxFdsPerResponse, maxRequestsPerConnection, value);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
