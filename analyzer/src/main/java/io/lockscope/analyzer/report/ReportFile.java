package io.lockscope.analyzer.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a report file as a whole or not at all: into a new temporary file beside it, then moved
 * over the name. A reader never sees half a report; a symbolic link at the name is replaced by
 * the report, never followed (a link planted in a shared output folder cannot make lockscope
 * overwrite the file it points to).
 */
public final class ReportFile {

    /** What a report's content is written by. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private ReportFile() {
    }

    /** Writes the file; returns whether it replaced one that was there. */
    public static boolean write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + " is a folder");
        }
        boolean replaces = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        Path tmp = Files.createTempFile(dir, ".lockscope-", ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                content.writeTo(out);
            }
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps what the system gave it
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return replaces;
    }

    /**
     * Checks, before any work, that reports can be written into {@code dir}: it is a folder (or
     * can be made one) and a file can be created in it. Returns why not, or null.
     */
    public static String unwritable(Path dir) {
        Path d = dir.toAbsolutePath();
        if (Files.exists(d) && !Files.isDirectory(d)) {
            return d + " is a file, not a folder";
        }
        try {
            Files.createDirectories(d);
            Path probe = Files.createTempFile(d, ".lockscope-", ".tmp");
            Files.delete(probe);
            return null;
        } catch (AccessDeniedException e) {
            return "no permission to write in " + e.getFile();
        } catch (FileSystemException e) {
            return e.getReason() != null ? e.getFile() + ": " + e.getReason() : e.toString();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
