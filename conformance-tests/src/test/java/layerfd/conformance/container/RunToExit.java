package layerfd.conformance.container;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.utility.DockerStatus;

/**
 * A container counts as started once it has exited, whatever its exit status, so the test reads the status and the
 * logs itself. (OneShotStartupCheckStrategy turns a non-zero exit into a ContainerLaunchException and removes the
 * container, and with it the logs that say what went wrong.)
 */
final class RunToExit extends StartupCheckStrategy {
    @Override
    public StartupStatus checkStartupState(DockerClient docker, String containerId) {
        return DockerStatus.isContainerStopped(getCurrentState(docker, containerId)) ? StartupStatus.SUCCESSFUL
                : StartupStatus.NOT_YET_KNOWN;
    }
}
