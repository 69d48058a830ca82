package layerfd.server.store.config.internal;

import layerfd.server.store.config.StoreConfigException;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns storage.conf text into a {@link StorageConf}. Only the keys that decide where the store is are read; the rest
 * (pull_options, mount_program, per-driver tables, ...) do not change any path and are ignored, as Go ignores keys it
 * does not decode.
 */
public final class StorageConfParser {
    private static final String STORAGE = "storage";
    private static final String OPTIONS = "storage.options";
    private static final String APPEND = "append";

    private StorageConfParser() {
    }

    /** Reads and parses one file. */
    public static StorageConf read(Path file) throws StoreConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new StoreConfigException("storage.conf " + file + " is not valid UTF-8");
        } catch (IOException e) {
            throw new StoreConfigException("cannot read storage.conf " + file + ": " + describe(e), e);
        }
        return parse(text, file.toString());
    }

    /** Parses text; {@code source} names the file in error messages. */
    public static StorageConf parse(String text, String source) throws StoreConfigException {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            // tomlj reports every syntax error; the first one is what a user fixes first.
            TomlParseError first = toml.errors().getFirst();
            throw new StoreConfigException("storage.conf " + source + " line " + first.position().line()
                    + ", column " + first.position().column() + ": " + first.getMessage());
        }
        Keys keys = new Keys(toml, source);
        keys.table(STORAGE);
        keys.table(OPTIONS);
        return new StorageConf(
                keys.string("storage.driver"),
                keys.string("storage.graphroot"),
                keys.string("storage.runroot"),
                keys.string("storage.imagestore"),
                keys.string("storage.rootless_storage_path"),
                keys.bool("storage.transient_store"),
                keys.pathList("storage.options.additionalimagestores"));
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Typed lookups that name the file, key and line when a value has the wrong type. */
    private record Keys(TomlParseResult toml, String source) {
        void table(String key) throws StoreConfigException {
            if (toml.contains(key) && !toml.isTable(key)) {
                throw wrongType(key, "a table");
            }
        }

        Optional<String> string(String key) throws StoreConfigException {
            if (!toml.contains(key)) {
                return Optional.empty();
            }
            if (!toml.isString(key)) {
                throw wrongType(key, "a string");
            }
            return Optional.of(toml.getString(key));
        }

        Optional<Boolean> bool(String key) throws StoreConfigException {
            if (!toml.contains(key)) {
                return Optional.empty();
            }
            if (!toml.isBoolean(key)) {
                throw wrongType(key, "a boolean");
            }
            return Optional.of(toml.getBoolean(key));
        }

        /**
         * An array of path strings, optionally with attribute tables: containers-storage brief §1, Go
         * {@code configfile.Slice}: strings are values, a table may carry {@code append = <bool>}, anything else is an
         * error.
         */
        Optional<StorageConf.PathList> pathList(String key) throws StoreConfigException {
            if (!toml.contains(key)) {
                return Optional.empty();
            }
            if (!toml.isArray(key)) {
                throw wrongType(key, "an array of paths");
            }
            TomlArray array = toml.getArrayOrEmpty(key);
            List<String> values = new ArrayList<>();
            boolean append = false;
            for (int i = 0; i < array.size(); i++) {
                Object item = array.get(i);
                switch (item) {
                    case String s -> values.add(s);
                    case TomlTable attributes -> append = attribute(key, attributes, append);
                    default -> throw wrongType(key + "[" + i + "]", "a path string or an attribute table");
                }
            }
            return Optional.of(new StorageConf.PathList(values, append));
        }

        private boolean attribute(String key, TomlTable attributes, boolean append) throws StoreConfigException {
            for (String name : attributes.keySet()) {
                if (!name.equals(APPEND)) {
                    throw new StoreConfigException("storage.conf " + source + at(key) + ": key " + key
                            + " has unsupported attribute '" + name + "' (only 'append' is allowed)");
                }
                if (!attributes.isBoolean(name)) {
                    throw wrongType(key + " attribute append", "a boolean");
                }
                append = attributes.getBoolean(name);
            }
            return append;
        }

        private StoreConfigException wrongType(String key, String expected) {
            String base = key.contains("[") ? key.substring(0, key.indexOf('[')) : key.split(" ")[0];
            return new StoreConfigException("storage.conf " + source + at(base) + ": key " + key + " must be "
                    + expected);
        }

        private String at(String key) {
            TomlPosition position = toml.inputPositionOf(key);
            return position == null ? "" : " line " + position.line();
        }
    }
}
