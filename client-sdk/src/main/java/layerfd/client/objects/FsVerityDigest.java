package layerfd.client.objects;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The fs-verity file digest with SHA-256, 4096-byte blocks and no salt: the name composefs-rs gives an object,
 * and what {@code fsverity digest --hash-alg=sha256 --block-size=4096} prints. Computed in one pass with memory
 * proportional to the tree depth, not the file size.
 *
 * <p>Definition (Linux Documentation/filesystems/fsverity.rst, "Merkle tree" and "File digest computation"):
 * data is split into 4096-byte blocks, the last zero-padded; each level hashes the blocks below and packs the
 * hashes into zero-padded 4096-byte blocks, until one block remains, whose hash is the root hash (a file of at
 * most one block has the hash of its padded data block as root; an empty file has an all-zero root). The file
 * digest is the SHA-256 of the 256-byte {@code struct fsverity_descriptor}.
 */
public final class FsVerityDigest {
    public static final int BLOCK_SIZE = 4096;
    private static final int LOG_BLOCK_SIZE = 12;
    private static final int HASH_ALGORITHM_SHA256 = 1;
    private static final int DESCRIPTOR_VERSION = 1;
    private static final int DESCRIPTOR_SIZE = 256;
    private static final int ROOT_HASH_FIELD = 64;
    private static final int HASH_SIZE = 32;

    private final List<ByteBuffer> pendingLevels = new ArrayList<>();
    private final List<Long> blocksHashedUp = new ArrayList<>();
    private final ByteBuffer dataBlock = ByteBuffer.allocate(BLOCK_SIZE);
    private final MessageDigest sha256 = newSha256();
    private long size;

    /** Feeds the next bytes of the file. */
    public void update(byte[] bytes, int offset, int length) {
        while (length > 0) {
            int n = Math.min(length, dataBlock.remaining());
            dataBlock.put(bytes, offset, n);
            offset += n;
            length -= n;
            size += n;
            if (!dataBlock.hasRemaining()) {
                hashDataBlock();
            }
        }
    }

    /** "sha256:" + hex of the file digest of everything fed so far. */
    public String finish() {
        byte[] root = rootHash();
        ByteBuffer descriptor = ByteBuffer.allocate(DESCRIPTOR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        descriptor.put((byte) DESCRIPTOR_VERSION).put((byte) HASH_ALGORITHM_SHA256).put((byte) LOG_BLOCK_SIZE)
                .put((byte) 0) // salt_size
                .putInt(0) // __reserved_0x04
                .putLong(size)
                .put(root);
        // root_hash is a 64-byte field; salt[32] and __reserved[144] stay zero.
        return "sha256:" + HexFormat.of().formatHex(sha256.digest(descriptor.array()));
    }

    /** The digest of a whole stream. */
    public static String of(InputStream in) throws IOException {
        FsVerityDigest digest = new FsVerityDigest();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
            digest.update(buf, 0, n);
        }
        return digest.finish();
    }

    public static String of(byte[] bytes) {
        FsVerityDigest digest = new FsVerityDigest();
        digest.update(bytes, 0, bytes.length);
        return digest.finish();
    }

    private void hashDataBlock() {
        addHash(0, hashBlock(dataBlock));
    }

    /** Appends a hash to a level; a full level block is itself hashed into the level above. */
    private void addHash(int level, byte[] hash) {
        if (pendingLevels.size() == level) {
            pendingLevels.add(ByteBuffer.allocate(BLOCK_SIZE));
            blocksHashedUp.add(0L);
        }
        ByteBuffer block = pendingLevels.get(level);
        block.put(hash);
        if (!block.hasRemaining()) {
            blocksHashedUp.set(level, blocksHashedUp.get(level) + 1);
            addHash(level + 1, hashBlock(block));
        }
    }

    private byte[] rootHash() {
        byte[] root = new byte[ROOT_HASH_FIELD];
        if (size == 0) {
            return root;
        }
        if (size <= BLOCK_SIZE) {
            // One data block: no tree; the root is that block's hash (already taken when the block filled up).
            byte[] hash = size == BLOCK_SIZE ? pendingLevels.get(0).array() : hashBlock(dataBlock);
            System.arraycopy(hash, 0, root, 0, HASH_SIZE);
            return root;
        }
        if (dataBlock.position() > 0) {
            hashDataBlock();
        }
        // Walk up: a level whose blocks (already hashed up, plus the partial one) number exactly one is the top
        // of the tree, and the root hash is that block's hash.
        for (int level = 0; ; level++) {
            ByteBuffer partial = pendingLevels.get(level);
            long hashedUp = blocksHashedUp.get(level);
            if (hashedUp == 1 && partial.position() == 0) {
                // The single (full) block was hashed into the level above, which holds just that hash.
                System.arraycopy(pendingLevels.get(level + 1).array(), 0, root, 0, HASH_SIZE);
                return root;
            }
            if (hashedUp == 0) {
                System.arraycopy(hashBlock(partial), 0, root, 0, HASH_SIZE);
                return root;
            }
            if (partial.position() > 0) {
                blocksHashedUp.set(level, hashedUp + 1);
                addHash(level + 1, hashBlock(partial));
            }
        }
    }

    /** SHA-256 of a block zero-padded to 4096 bytes; the block is then emptied for reuse. */
    private byte[] hashBlock(ByteBuffer block) {
        while (block.hasRemaining()) {
            block.put((byte) 0);
        }
        sha256.update(block.array(), 0, BLOCK_SIZE);
        block.clear();
        return sha256.digest();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
