package layerfd.client.testing;

import java.nio.file.Path;

/**
 * A source tree with every kind of entry a layer can hold, made with the real tools (mknod, setfattr, touch, chown),
 * and tars of it made by GNU tar itself: the input of the oracle comparison.
 */
public final class SampleTree {
    /** A path component long enough that GNU long names ('L'/'K') or PAX path records are needed. */
    public static final String LONG_COMPONENT = "long-" + "n".repeat(140);

    private static final String MAKE = """
            cd "$1"
            mkdir -p d/sub empty sgid-dir sticky "%1$s/%1$s"
            : > f0
            printf x > f1
            head -c 4096 /dev/urandom > f4096
            head -c 4097 /dev/urandom > f4097
            head -c 1048576 /dev/urandom > f1m
            printf 'deep\\n' > d/sub/deep.txt
            printf 'long\\n' > "%1$s/%1$s/file-with-a-long-path.txt"
            ln -s f1 link-rel
            ln -s /etc/passwd link-abs
            ln -s does/not/exist link-dangling
            ln -s ../f4097 d/up
            ln -s "%1$s/%1$s/file-with-a-long-path.txt" "link-long-%1$s"
            ln f4097 hard-f4097
            ln f1m d/hard-1m
            ln "%1$s/%1$s/file-with-a-long-path.txt" "hard-long-%1$s"
            mkfifo fifo
            mknod null-dev c 1 3
            mknod loop-dev b 7 200
            printf 'not utf-8\\n' > $'name-\\xff\\xfe-latin1'
            printf 'setuid\\n' > suid; chmod 4755 suid
            printf 'setgid\\n' > sgid; chmod 2711 sgid
            printf 'secret\\n' > mode0000; chmod 0000 mode0000
            chmod 2775 sgid-dir
            chmod 1777 sticky
            chmod 0750 d/sub
            setfattr -n user.comment -v 'hello xattr' f1
            setfattr -n user.binary -v 0x00ff10fe00 f4097
            setfattr -n trusted.layerfd -v 0xdeadbeef d
            setfattr -n trusted.opaque -v y empty
            chown 1234:5678 f4096 d/sub
            chown 3000000:3000001 f1m
            chown -h 42:43 link-rel
            chown 7:8 fifo
            touch -h -d '2021-03-04 05:06:07.123456789' f1 link-rel fifo null-dev
            touch -d '1999-12-31 23:59:59.5' f4097 "%1$s/%1$s/file-with-a-long-path.txt"
            touch -d '2010-01-01 00:00:00' d/sub/deep.txt f1m suid
            touch -d '2005-05-05 05:05:05.000000001' d/sub d "%1$s/%1$s" "%1$s" empty
            touch -d '2001-01-01 01:01:01.75' .
            """.formatted(LONG_COMPONENT);

    private SampleTree() {}

    /** Fills the empty directory {@code dir} with the sample entries. */
    public static void create(Path dir) {
        Processes.bash(MAKE, dir.toString());
    }

    /** GNU tar of {@code dir} in {@code format} ("posix" with xattrs, or "gnu"), names starting with "./". */
    public static void tar(Path dir, String format, Path tar) {
        if (format.equals("posix")) {
            Processes.check("tar", "--xattrs", "--xattrs-include=*", "--format=posix", "-cf", tar.toString(),
                    "-C", dir.toString(), ".");
        } else {
            Processes.check("tar", "--format=" + format, "-cf", tar.toString(), "-C", dir.toString(), ".");
        }
    }

    /** The reference extraction: GNU tar as root keeps owners (numeric), modes, xattrs and mtimes. */
    public static void gnuExtract(Path tar, Path dir) {
        Processes.check("tar", "--xattrs", "--xattrs-include=*", "--same-owner", "--numeric-owner", "-xpf",
                tar.toString(), "-C", dir.toString());
    }
}
