package layerfd.client.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Crafted tars, written by Python's tarfile (an independent writer) from a list of entries: names that no honest
 * tool would write ("../x", absolute paths), whiteouts, global PAX headers, base-256 numbers, binary xattrs.
 */
public final class TarSpec {
    private static final String WRITER = """
            import io, json, sys, tarfile
            spec = json.load(sys.stdin)
            fmt = {'pax': tarfile.PAX_FORMAT, 'gnu': tarfile.GNU_FORMAT, 'ustar': tarfile.USTAR_FORMAT}[spec['format']]
            types = {'file': tarfile.REGTYPE, 'dir': tarfile.DIRTYPE, 'symlink': tarfile.SYMTYPE,
                     'hardlink': tarfile.LNKTYPE, 'fifo': tarfile.FIFOTYPE, 'char': tarfile.CHRTYPE,
                     'block': tarfile.BLKTYPE}
            def text(v):
                return bytes.fromhex(v[4:]).decode('utf-8', 'surrogateescape') if v.startswith('hex:') else v
            kw = {'pax_headers': {k: text(v) for k, v in spec['global'].items()}} if spec['global'] else {}
            with tarfile.open(sys.argv[1], 'w', format=fmt, encoding='utf-8', errors='surrogateescape', **kw) as t:
                for e in spec['entries']:
                    ti = tarfile.TarInfo(text(e['name']))
                    ti.type = types[e['type']]
                    ti.mode = e.get('mode', 0o755 if e['type'] == 'dir' else 0o644)
                    ti.uid, ti.gid = e.get('uid', 0), e.get('gid', 0)
                    ti.mtime = e.get('mtime', 1600000000)
                    ti.linkname = text(e.get('linkname', ''))
                    ti.devmajor, ti.devminor = e.get('major', 0), e.get('minor', 0)
                    ti.pax_headers = {k: text(v) for k, v in e.get('pax', {}).items()}
                    data = text(e.get('data', '')).encode('utf-8', 'surrogateescape')
                    if ti.type == tarfile.REGTYPE:
                        ti.size = len(data)
                        t.addfile(ti, io.BytesIO(data))
                    else:
                        t.addfile(ti)
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String format;
    private final Map<String, String> global = new LinkedHashMap<>();
    private final List<Map<String, Object>> entries = new ArrayList<>();

    private TarSpec(String format) {
        this.format = format;
    }

    public static TarSpec pax() {
        return new TarSpec("pax");
    }

    public static TarSpec gnu() {
        return new TarSpec("gnu");
    }

    public TarSpec dir(String name) {
        return add("dir", name);
    }

    public TarSpec file(String name, String data) {
        return add("file", name).with("data", data);
    }

    public TarSpec symlink(String name, String target) {
        return add("symlink", name).with("linkname", target);
    }

    public TarSpec hardlink(String name, String target) {
        return add("hardlink", name).with("linkname", target);
    }

    public TarSpec add(String type, String name) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("name", name);
        entries.add(e);
        return this;
    }

    /** Sets a field of the last entry: mode, uid, gid, mtime, major, minor, linkname, data. */
    public TarSpec with(String key, Object value) {
        entries.getLast().put(key, value);
        return this;
    }

    /** Adds a PAX record to the last entry; a value "hex:..." is raw bytes. */
    public TarSpec pax(String key, String value) {
        @SuppressWarnings("unchecked")
        Map<String, String> pax = (Map<String, String>) entries.getLast().computeIfAbsent("pax",
                k -> new LinkedHashMap<String, String>());
        pax.put(key, value);
        return this;
    }

    /** A PAX global ('g') record written before all entries. */
    public TarSpec global(String key, String value) {
        global.put(key, value);
        return this;
    }

    public Path write(Path tar) {
        try {
            byte[] spec = JSON.writeValueAsBytes(Map.of("format", format, "global", global, "entries", entries));
            Processes.python(WRITER, spec, tar.toString());
            return tar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
