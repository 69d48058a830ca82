/**
 * The Linux system calls layerfd needs and the JDK lacks (openat2, memfd and seals, fcntl, FICLONE,
 * copy_file_range, statx), called through the Foreign Function & Memory API, plus {@link layerfd.linux.OwnedFd},
 * the one type that owns a raw file descriptor.
 */
package layerfd.linux;
