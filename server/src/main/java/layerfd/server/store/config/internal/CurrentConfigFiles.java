package layerfd.server.store.config.internal;

import layerfd.server.store.config.StoreConfigException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which storage.conf files current containers/storage reads, in order ({@code pkg/configfile.Read}; containers-storage
 * brief §1, "Which file is read (current code)").
 */
public final class CurrentConfigFiles {
    private static final String FILE = "storage.conf";
    private static final String SYSTEM_DEFAULT = "/usr/share/containers/";
    private static final String ADMIN_OVERRIDE = "/etc/containers/";
    private static final String DROP_IN_SUFFIX = ".d";
    private static final String EXTENSION = ".conf";
    private static final String BASE_NAME = "storage";

    private CurrentConfigFiles() {
    }

    public static List<Path> select(DiscoveryContext ctx) throws StoreConfigException {
        List<Path> files = new ArrayList<>();
        Optional<String> explicit = ctx.variable(DiscoveryContext.STORAGE_CONF);
        Path userConfig = ctx.userConfigDir().resolve(FILE);
        Path adminConfig = ctx.systemPath(ADMIN_OVERRIDE + FILE);
        Path defaultConfig = ctx.systemPath(SYSTEM_DEFAULT + FILE);
        if (explicit.isPresent()) {
            // Rule 1: CONTAINERS_STORAGE_CONF alone; a missing file is a hard error; drop-ins are skipped.
            files.add(mustExist(explicit.get(), DiscoveryContext.STORAGE_CONF));
        } else {
            // Rule 2: exactly one main file, the first that exists.
            for (Path main : List.of(userConfig, adminConfig, defaultConfig)) {
                if (Files.exists(main)) {
                    files.add(main);
                    break;
                }
            }
            // Rule 3: drop-ins on top.
            files.addAll(dropIns(ctx, defaultConfig, adminConfig, userConfig));
        }
        // Rule 4: CONTAINERS_STORAGE_CONF_OVERRIDE last, also a hard error when missing.
        Optional<String> override = ctx.variable(DiscoveryContext.STORAGE_CONF_OVERRIDE);
        if (override.isPresent()) {
            files.add(mustExist(override.get(), DiscoveryContext.STORAGE_CONF_OVERRIDE));
        }
        return files;
    }

    private static Path mustExist(String value, String variable) throws StoreConfigException {
        Path path = Path.of(value);
        if (!Files.exists(path)) {
            throw new StoreConfigException(variable + " names " + path + ", which does not exist");
        }
        return path;
    }

    /**
     * Drop-in directories in Go's order: /usr/share, then /etc (each: storage.conf.d, then storage.rootful.conf.d or
     * storage.rootless.conf.d, then storage.rootless.conf.d/&lt;uid&gt;), then the user's storage.conf.d. Regular
     * *.conf files only; a later directory's file replaces an earlier one of the same name; applied sorted by name.
     */
    private static List<Path> dropIns(DiscoveryContext ctx, Path defaultConfig, Path adminConfig, Path userConfig)
            throws StoreConfigException {
        List<Path> dirs = new ArrayList<>();
        dirs.addAll(systemDropInDirs(defaultConfig, ctx.rootlessUid()));
        dirs.addAll(systemDropInDirs(adminConfig, ctx.rootlessUid()));
        // The user's configuration has only the plain .d directory.
        dirs.add(Path.of(userConfig + DROP_IN_SUFFIX));
        Map<String, Path> byName = new TreeMap<>();
        for (Path dir : dirs) {
            if (!Files.exists(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (name.endsWith(EXTENSION) && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                        byName.put(name, entry);
                    }
                }
            } catch (IOException e) {
                throw new StoreConfigException("cannot list storage.conf drop-in directory " + dir + ": " + e, e);
            }
        }
        return List.copyOf(byName.values());
    }

    private static List<Path> systemDropInDirs(Path mainConfig, int uid) {
        Path parent = mainConfig.getParent();
        // configfile.getDropInPaths: "rootless" when the uid is > 0.
        boolean rootless = uid > 0;
        Path special = parent.resolve(BASE_NAME + (rootless ? ".rootless" : ".rootful") + EXTENSION + DROP_IN_SUFFIX);
        List<Path> dirs = new ArrayList<>(List.of(Path.of(mainConfig + DROP_IN_SUFFIX), special));
        if (rootless) {
            dirs.add(special.resolve(Integer.toString(uid)));
        }
        return dirs;
    }
}
