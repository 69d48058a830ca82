package layerfd.client.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import layerfd.client.ReflinkPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyConfigTest {
    @TempDir
    Path root;
    Path home;
    PolicyConfig config;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(root.resolve("home/u"));
        config = new PolicyConfig(root, Map.of("HOME", home.toString()));
    }

    private Path write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static String unified(String value) {
        return "# a comment\n[install]\n[install.storage]\nunified = \"" + value + "\"\n";
    }

    @Test
    void defaultIsDisabled() throws Exception {
        PolicyDecision d = config.decide(Optional.empty(), Optional.empty());
        assertEquals(new PolicyDecision(ReflinkPolicy.DISABLED, "default"), d);
        assertEquals("not unified (disabled)", d.describe());
    }

    @Test
    void bootcDropInsApplyInNameOrderLaterWins() throws Exception {
        write("usr/lib/bootc/install/10-a.toml", unified("enabled"));
        Path later = write("usr/lib/bootc/install/20-b.toml", unified("enabled-with-copy"));
        write("usr/lib/bootc/install/30-other.toml", "[install]\nroot-fs-type = \"xfs\"\n");
        write("usr/lib/bootc/install/notes.txt", unified("disabled"));
        PolicyDecision d = config.decide(Optional.empty(), Optional.empty());
        assertEquals(new PolicyDecision(ReflinkPolicy.ENABLED_WITH_COPY, later.toString()), d);
        assertEquals("unified (enabled-with-copy)", d.describe());
    }

    @Test
    void etcBeatsBootcAndUserBeatsEtc() throws Exception {
        write("usr/lib/bootc/install/00.toml", unified("disabled"));
        Path etc = write("etc/layerfd/config.toml", unified("enabled"));
        assertEquals(new PolicyDecision(ReflinkPolicy.ENABLED, etc.toString()), config.decide(Optional.empty(), Optional.empty()));
        Path user = write("home/u/.config/layerfd/config.toml", unified("enabled-with-copy"));
        assertEquals(new PolicyDecision(ReflinkPolicy.ENABLED_WITH_COPY, user.toString()),
                config.decide(Optional.empty(), Optional.empty()));
    }

    @Test
    void xdgConfigHomeReplacesDotConfig() throws Exception {
        write("home/u/.config/layerfd/config.toml", unified("enabled"));
        Path xdg = write("xdg/layerfd/config.toml", unified("disabled"));
        PolicyConfig withXdg = new PolicyConfig(root, Map.of("HOME", home.toString(), "XDG_CONFIG_HOME",
                root.resolve("xdg").toString()));
        assertEquals(new PolicyDecision(ReflinkPolicy.DISABLED, xdg.toString()), withXdg.decide(Optional.empty(), Optional.empty()));
    }

    @Test
    void configFileReplacesTheSearchAndFlagWinsOverAll() throws Exception {
        write("etc/layerfd/config.toml", unified("enabled"));
        Path explicit = write("mine.toml", "[install.storage]\n");
        assertEquals(new PolicyDecision(ReflinkPolicy.DISABLED, "default"),
                config.decide(Optional.of(explicit), Optional.empty()));
        assertEquals(new PolicyDecision(ReflinkPolicy.ENABLED_WITH_COPY, "--unified"),
                config.decide(Optional.of(explicit), Optional.of("enabled-with-copy")));
    }

    @Test
    void errorsNameTheFile() throws Exception {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> config.decide(Optional.of(root.resolve("nope.toml")), Optional.empty()));
        assertEquals(root.resolve("nope.toml") + ": no such config file", missing.getMessage());

        Path bad = write("etc/layerfd/config.toml", "[install.storage]\nunified = \"reflink\"\n");
        ConfigException unknown = assertThrows(ConfigException.class, () -> config.decide(Optional.empty(), Optional.empty()));
        assertEquals(bad + ": unknown unified storage policy 'reflink' (expected one of enabled-with-copy, enabled, disabled)",
                unknown.getMessage());

        write("etc/layerfd/config.toml", "[install.storage]\nunified = \n");
        ConfigException syntax = assertThrows(ConfigException.class, () -> config.decide(Optional.empty(), Optional.empty()));
        assertEquals(true, syntax.getMessage().startsWith(bad + ":2: "), syntax.getMessage());

        write("etc/layerfd/config.toml", "[install.storage]\nunified = true\n");
        assertEquals(bad + ": [install.storage] unified must be a string",
                assertThrows(ConfigException.class, () -> config.decide(Optional.empty(), Optional.empty())).getMessage());

        assertEquals("--unified: unknown unified storage policy 'on' (expected one of enabled-with-copy, enabled, disabled)",
                assertThrows(ConfigException.class, () -> config.decide(Optional.empty(), Optional.of("on"))).getMessage());
    }
}
