package layerfd.client.apply.internal;

/** The kinds of tar entry that become something in the tree (POSIX ustar typeflags 0-7). */
public enum EntryType {
    REGULAR, HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO;

    /**
     * Types whose data region is empty whatever the size field says (Go archive/tar isHeaderOnlyType; POSIX: no
     * data records for links and directories).
     */
    public boolean headerOnly() {
        return this != REGULAR;
    }
}
