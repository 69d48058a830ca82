package layerfd.client.objects.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import layerfd.client.apply.internal.Xattr;
import layerfd.client.objects.ImageDescription;
import layerfd.client.objects.internal.TreeNode.Directory;
import layerfd.client.objects.internal.TreeNode.Inode;
import layerfd.client.objects.internal.TreeNode.Metadata;
import layerfd.client.objects.internal.TreeNode.Name;

/**
 * Writes an image document (docs/object-store.md, "Image document"), streaming: one JSON object with the image's
 * description and every entry of the merged tree in byte order. Names are bytes: a path or link target that is
 * valid UTF-8 is written as text ({@code path}, {@code target}), any other as base64 of its bytes
 * ({@code pathBase64}, {@code targetBase64}). The first name of an inode (in document order) carries the file; its
 * other names are {@code hardlink} entries whose target is that first name.
 */
final class ImageDocumentWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private ImageDocumentWriter() {}

    static void write(OutputStream out, ImageDescription image, Map<String, TreeNode> entries, Instant created)
            throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField(ImageDocument.SCHEMA, ImageDocument.SCHEMA_VERSION);
            g.writeStringField(ImageDocument.ID, image.id());
            g.writeArrayFieldStart(ImageDocument.NAMES);
            for (String n : image.names()) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeStringField(ImageDocument.MANIFEST_DIGEST, image.manifestDigest());
            g.writeStringField(ImageDocument.CONFIG_DIGEST, image.configDigest());
            g.writeArrayFieldStart(ImageDocument.LAYERS);
            for (ImageDescription.Layer l : image.layers()) {
                g.writeStartObject();
                g.writeStringField(ImageDocument.LAYER_ID, l.id());
                g.writeStringField(ImageDocument.DIFF_DIGEST, l.diffDigest());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField(ImageDocument.CREATED, created.toString());
            g.writeNumberField(ImageDocument.INLINE_LIMIT, ImageDocument.INLINE_LIMIT_BYTES);
            g.writeArrayFieldStart(ImageDocument.ENTRIES);
            Map<Inode, byte[]> firstName = new IdentityHashMap<>();
            for (Map.Entry<String, TreeNode> e : entries.entrySet()) {
                byte[] path = absolute(MergedTree.components(e.getKey()));
                g.writeStartObject();
                bytesField(g, ImageDocument.PATH, ImageDocument.PATH_BASE64, path);
                switch (e.getValue()) {
                    case Directory(Metadata m) -> {
                        g.writeStringField(ImageDocument.TYPE, ImageDocument.TYPE_DIRECTORY);
                        metadata(g, m);
                    }
                    case Name(Inode inode) -> {
                        byte[] first = firstName.putIfAbsent(inode, path);
                        if (first != null) {
                            g.writeStringField(ImageDocument.TYPE, ImageDocument.TYPE_HARDLINK);
                            bytesField(g, ImageDocument.TARGET, ImageDocument.TARGET_BASE64, first);
                        } else {
                            inode(g, inode);
                        }
                    }
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void inode(JsonGenerator g, Inode inode) throws IOException {
        g.writeStringField(ImageDocument.TYPE, ImageDocument.typeName(inode.type));
        metadata(g, inode.metadata);
        switch (inode.type) {
            case REGULAR -> {
                g.writeNumberField(ImageDocument.SIZE, inode.size);
                if (inode.digest != null) {
                    g.writeStringField(ImageDocument.DIGEST, inode.digest);
                } else {
                    g.writeStringField(ImageDocument.INLINE, Base64.getEncoder().encodeToString(inode.inline));
                }
            }
            case SYMLINK -> bytesField(g, ImageDocument.TARGET, ImageDocument.TARGET_BASE64, inode.linkTarget);
            case CHAR_DEVICE, BLOCK_DEVICE -> {
                g.writeNumberField(ImageDocument.DEV_MAJOR, inode.devMajor);
                g.writeNumberField(ImageDocument.DEV_MINOR, inode.devMinor);
            }
            default -> { } // fifo: metadata only; hardlinks never become inodes
        }
    }

    private static void metadata(JsonGenerator g, Metadata m) throws IOException {
        g.writeNumberField(ImageDocument.MODE, m.mode());
        g.writeNumberField(ImageDocument.UID, m.uid());
        g.writeNumberField(ImageDocument.GID, m.gid());
        g.writeNumberField(ImageDocument.MTIME, m.mtimeSeconds());
        g.writeNumberField(ImageDocument.MTIME_NANOS, m.mtimeNanos());
        List<Xattr> xattrs = m.xattrs();
        if (!xattrs.isEmpty()) {
            g.writeObjectFieldStart(ImageDocument.XATTRS);
            for (Xattr x : xattrs.stream().sorted(java.util.Comparator.comparing(Xattr::name)).toList()) {
                g.writeStringField(x.name(), Base64.getEncoder().encodeToString(x.value()));
            }
            g.writeEndObject();
        }
    }

    /** Text when the bytes are valid UTF-8 (a reader gets them back exactly), else base64 under the other key. */
    private static void bytesField(JsonGenerator g, String textKey, String base64Key, byte[] bytes)
            throws IOException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            g.writeStringField(textKey, text);
        } catch (CharacterCodingException e) {
            g.writeStringField(base64Key, Base64.getEncoder().encodeToString(bytes));
        }
    }

    /** "/" for the root, else "/" before every component. */
    private static byte[] absolute(List<byte[]> components) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (components.isEmpty()) {
            out.write('/');
        }
        for (byte[] c : components) {
            out.write('/');
            out.writeBytes(c);
        }
        return out.toByteArray();
    }
}
