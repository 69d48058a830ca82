package layerfd.conformance.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import layerfd.server.store.Fixtures;
import org.testcontainers.DockerClientFactory;

/**
 * The consumer image (python3 and its standard library in a FROM scratch image, no registry needed), built through
 * the container API into the service's own store. Its tag is a hash of the build context, so a store that already
 * holds an image of this exact context is not built into again.
 */
final class ConsumerImage {
    /** Writes the build context into the directory it is given and prints the image name (repository root relative). */
    static final Path CONTEXT_SCRIPT = Path.of("conformance-tests/container/make-context.sh");
    private static final String DOCKERFILE = "Dockerfile";
    /** The build copies about 40 MB into a vfs store: seconds, but a busy 2-core machine is slow. */
    private static final long BUILD_TIMEOUT_SECONDS = 300;

    /** The build context, rewritten by every test JVM (the script takes about a second). */
    private static final Path CONTEXT = Path.of("target/consumer-image");

    private static String built;

    private ConsumerImage() {}

    /** The image name, built into the service's store unless it is there already (once per test JVM). */
    static synchronized String ensureBuilt() {
        if (built != null) {
            return built;
        }
        Path context = CONTEXT.toAbsolutePath();
        String output = Fixtures.run(Path.of("").toAbsolutePath(),
                Fixtures.repositoryRoot().resolve(CONTEXT_SCRIPT).toString(), context.toString());
        List<String> lines = output.lines().toList();
        String image = lines.getLast().strip();
        DockerClient docker = DockerClientFactory.instance().client();
        if (!exists(docker, image)) {
            String id = docker.buildImageCmd(context.toFile())
                    .withDockerfile(context.resolve(DOCKERFILE).toFile())
                    .withTags(Set.of(image))
                    .withPull(false)
                    .exec(new BuildImageResultCallback())
                    .awaitImageId(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (id == null || id.isBlank()) {
                throw new IllegalStateException("building " + image + " from " + context + " gave no image id");
            }
        }
        built = image;
        return image;
    }

    private static boolean exists(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
