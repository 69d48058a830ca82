package layerfd.client.objects.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import layerfd.client.objects.FsVerityDigest;
import layerfd.client.objects.FsckReport;
import layerfd.client.objects.FsckReport.CorruptObject;
import layerfd.client.objects.FsckReport.ImageCheck;
import layerfd.client.objects.ImagePresence;
import layerfd.client.objects.ObjectStoreException;

/**
 * Checks a repository (api-contract §6): every image document parses; every object it references is there; every
 * object's fs-verity digest, computed by streaming its content, equals its name; objects no document references and
 * files that are neither objects nor documents are listed for information; and, when asked, every image still
 * exists in containers-storage. Reads only; it takes no lock, so an import running meanwhile can at worst make its
 * fresh objects look unreferenced.
 */
public final class FsckEngine {
    private final RepoLayout repo;

    public FsckEngine(RepoLayout repo) {
        this.repo = repo;
    }

    public FsckReport run(ImagePresence presence) throws IOException {
        if (!Files.isDirectory(repo.objects()) || !Files.isDirectory(repo.images())) {
            throw new ObjectStoreException(repo.root() + " is not an object store (no " + RepoLayout.OBJECTS
                    + "/ and " + RepoLayout.IMAGES + "/ directories)");
        }
        List<String> stray = new ArrayList<>();
        Map<String, ImageDocument> documents = new TreeMap<>();
        Map<String, String> unreadable = new TreeMap<>();
        readDocuments(documents, unreadable, stray);
        Map<String, CorruptObject> corrupt = new TreeMap<>();
        Set<String> present = new HashSet<>();
        long checked = checkObjects(present, corrupt, stray);

        Set<String> referenced = new HashSet<>();
        List<ImageCheck> images = new ArrayList<>();
        Set<String> names = new java.util.TreeSet<>(documents.keySet());
        names.addAll(unreadable.keySet());
        for (String id : names) {
            String file = RepoLayout.IMAGES + "/" + RepoLayout.documentName(id);
            boolean gone = !presence.exists(id);
            ImageDocument doc = documents.get(id);
            if (doc == null) {
                images.add(new ImageCheck(file, id, unreadable.get(id), 0, 0, List.of(), List.of(), gone));
                continue;
            }
            referenced.addAll(doc.objects());
            List<String> missing = doc.objects().stream().filter(d -> !present.contains(d)).sorted().toList();
            List<String> bad = doc.objects().stream().filter(corrupt::containsKey).sorted().toList();
            images.add(new ImageCheck(file, id, null, doc.entries(), doc.objects().size(), missing, bad, gone));
        }
        List<String> unreferenced = present.stream().filter(d -> !referenced.contains(d)).sorted().toList();
        return new FsckReport(images, List.copyOf(corrupt.values()), unreferenced, stray, checked);
    }

    private void readDocuments(Map<String, ImageDocument> documents, Map<String, String> unreadable,
                               List<String> stray) throws IOException {
        for (Path p : list(repo.images())) {
            String name = p.getFileName().toString();
            String id = RepoLayout.imageIdOfDocument(name);
            if (id == null || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                stray.add(RepoLayout.IMAGES + "/" + name);
                continue;
            }
            try (InputStream in = Files.newInputStream(p)) {
                ImageDocument doc = ImageDocument.read(in);
                if (!doc.description().id().equals(id)) {
                    unreadable.put(id, "the document describes image '" + doc.description().id()
                            + "', not the one its name says");
                } else {
                    documents.put(id, doc);
                }
            } catch (ImageDocument.Malformed e) {
                unreadable.put(id, e.getMessage());
            } catch (IOException e) {
                unreadable.put(id, "cannot be read: " + e);
            }
        }
    }

    /** Digests every object; returns how many were checked. */
    private long checkObjects(Set<String> present, Map<String, CorruptObject> corrupt, List<String> stray)
            throws IOException {
        long checked = 0;
        for (Path fanout : list(repo.objects())) {
            String fanoutName = fanout.getFileName().toString();
            if (fanoutName.length() != RepoLayout.FANOUT_LENGTH
                    || !Files.isDirectory(fanout, LinkOption.NOFOLLOW_LINKS)) {
                stray.add(RepoLayout.OBJECTS + "/" + fanoutName);
                continue;
            }
            for (Path object : list(fanout)) {
                String rest = object.getFileName().toString();
                String digest = RepoLayout.digestOfObjectName(fanoutName, rest);
                if (digest == null) {
                    stray.add(RepoLayout.OBJECTS + "/" + fanoutName + "/" + rest);
                    continue;
                }
                present.add(digest);
                checked++;
                String problem = verify(object, digest);
                if (problem != null) {
                    corrupt.put(digest, new CorruptObject(digest, problem));
                }
            }
        }
        return checked;
    }

    /** null when the content's fs-verity digest is the object's name, else what is wrong. */
    private static String verify(Path object, String digest) {
        if (!Files.isRegularFile(object, LinkOption.NOFOLLOW_LINKS)) {
            return "not a regular file";
        }
        try (InputStream in = Files.newInputStream(object, LinkOption.NOFOLLOW_LINKS)) {
            String actual = FsVerityDigest.of(in);
            return actual.equals(digest) ? null : "content has fs-verity digest " + actual;
        } catch (IOException e) {
            return "cannot be read: " + e;
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }
}
