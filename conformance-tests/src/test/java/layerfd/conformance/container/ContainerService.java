package layerfd.conformance.container;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import org.testcontainers.DockerClientFactory;

/**
 * Whether a container API service (podman's Docker-compatible API) is there. A developer without one gets a skip
 * that says how to get one; scripts/test starts one (scripts/lib/podman-service.sh) and sets
 * {@value #REQUIRE_VARIABLE}=1, so in CI a missing or broken service FAILS instead of silently skipping.
 */
final class ContainerService {
    static final String REQUIRE_VARIABLE = "LAYERFD_REQUIRE_CONTAINER";
    static final String HOST_VARIABLE = "DOCKER_HOST";

    private ContainerService() {}

    /** Returns normally when the service answers; otherwise skips, or fails when it is required. */
    static void assumeAvailable() {
        String host = System.getenv(HOST_VARIABLE);
        if (host == null || host.isBlank()) {
            unavailable(HOST_VARIABLE + " is not set; scripts/test starts a private podman API service and sets it "
                    + "(see docs/conformance.md, \"Containerized consumer\")");
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            unavailable("no container API answers at " + HOST_VARIABLE + "=" + host);
        }
    }

    private static void unavailable(String reason) {
        if ("1".equals(System.getenv(REQUIRE_VARIABLE))) {
            fail(reason + " (" + REQUIRE_VARIABLE + "=1: the container test must run)");
        }
        abort(reason);
    }
}
