package io.lockscope.analyzer.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * What a pipe gives (standard input, named {@code -}; a named pipe; a process substitution's
 * {@code /dev/fd/63}; a device), copied to a temporary file, since detection and some readers read
 * a file twice. A pipe may never end: {@code kubectl logs -f}, a writer that hangs, {@code /dev/zero}.
 * So the copy stops when its time is up, or before the temporary folder's disk runs low, and what
 * came by then is read and kept, with a note that says where it stopped.
 */
public final class PipeSpool {

    /** How standard input is named on the command line. */
    public static final Path STANDARD_INPUT = Path.of("-");
    /** How standard input is named in reports. */
    public static final String STANDARD_INPUT_NAME = "(standard input)";
    /** The copy stops before the temporary folder's disk has less than this free, or a tenth of its size. */
    static final long MIN_FREE = 1L << 30;
    private static final int CHUNK = 1 << 16;
    /** How often, in bytes copied, the free space is looked at. */
    private static final long FREE_CHECK = 64L << 20;

    /**
     * The copy of a pipe.
     *
     * @param file    the temporary file that holds what the pipe gave; the caller deletes it
     * @param bytes   how many bytes that is
     * @param stopped why the copy stopped before the pipe ended; empty if it ended
     */
    public record Spooled(Path file, long bytes, String stopped) {
        public boolean ended() {
            return stopped.isEmpty();
        }
    }

    private PipeSpool() {
    }

    /** Whether {@code path} is standard input or names something other than a file or a folder: a pipe, a device. */
    public static boolean isPipe(Path path) {
        return path.equals(STANDARD_INPUT)
                || (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path));
    }

    /**
     * Why {@code path} is not read although it is no file or folder: a device other than a
     * terminal ({@code /dev/zero}, a disk) gives no dump, only bytes for as long as one reads; empty
     * for a pipe, a socket, a terminal (a dump pasted, then Ctrl-D) and standard input.
     */
    public static java.util.Optional<String> device(Path path) {
        if (path.equals(STANDARD_INPUT)) {
            return java.util.Optional.empty();
        }
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;
            String real = path.toRealPath().toString();
            boolean terminal = real.startsWith("/dev/pts/") || real.startsWith("/dev/tty") || real.equals("/dev/console");
            if ((type == 0020000 || type == 0060000) && !terminal) {
                return java.util.Optional.of("a device (" + real + "), not a file or a pipe: it gives bytes for as long as one reads");
            }
        } catch (IOException | RuntimeException e) {
            // no unix modes here (Windows): a pipe as any other
        }
        return java.util.Optional.empty();
    }

    /**
     * Copies what {@code pipe} gives until it ends, or the disk runs low, or its time passes:
     * {@code time}, and a second more for every {@code bytesPerSecond} bytes it has given, so that a
     * large dump streamed in keeps its copy going while a pipe that gives little or nothing is cut
     * off ({@link Duration#ZERO}: no limit). {@code copied} hears, once a second, how many bytes
     * have come so far.
     */
    public static Spooled copy(Path pipe, Duration time, long bytesPerSecond, java.util.function.LongConsumer copied)
            throws IOException {
        return copy(pipe, time, bytesPerSecond, MIN_FREE, copied);
    }

    static Spooled copy(Path pipe, Duration time, long bytesPerSecond, long minFree, java.util.function.LongConsumer copied)
            throws IOException {
        Path file = TempFiles.newFile(".pipe");
        Copier copier = new Copier(pipe, file, minFree);
        Thread t = new Thread(copier, "lockscope-pipe");
        t.setDaemon(true); // a read that never returns must not keep the JVM alive
        long started = System.nanoTime();
        t.start();
        try {
            while (t.isAlive()) {
                long left = Long.MAX_VALUE;
                if (!time.isZero()) {
                    long allowed = time.toNanos() + (bytesPerSecond > 0 ? copier.bytes() * 1_000_000_000L / bytesPerSecond : 0);
                    left = allowed - (System.nanoTime() - started);
                    if (left <= 0) {
                        break;
                    }
                }
                t.join(Math.max(1, Math.min(left / 1_000_000, 1000)));
                copied.accept(copier.bytes());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            copier.stop("");
            throw new IOException("interrupted while copying " + pipe);
        }
        copier.stop("it had not ended after " + seconds(Duration.ofNanos(System.nanoTime() - started))
                + " (half the input's time, --input-timeout)");
        return copier.result();
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    /** Copies on a thread of its own, so that the caller can stop waiting for a read that does not return. */
    private static final class Copier implements Runnable {

        private final Path pipe;
        private final Path file;
        private final long minFree;
        private InputStream in;
        private long bytes;
        private boolean done;
        private String stopped = "";
        private IOException failure;

        Copier(Path pipe, Path file, long minFree) {
            this.pipe = pipe;
            this.file = file;
            this.minFree = minFree;
        }

        @Override
        public void run() {
            byte[] buf = new byte[CHUNK];
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                InputStream source = pipe.equals(STANDARD_INPUT) ? System.in : Files.newInputStream(pipe);
                synchronized (this) {
                    in = source;
                }
                long nextCheck = 0;
                for (int n; (n = source.read(buf)) > 0; ) {
                    synchronized (this) {
                        if (done) {
                            return;
                        }
                        if (bytes >= nextCheck) {
                            java.nio.file.FileStore store = Files.getFileStore(file);
                            long free = store.getUsableSpace();
                            long total = store.getTotalSpace();
                            if (free - n < Math.max(minFree, total / 10)) {
                                finish("the disk of the temporary folder was nearly full (" + free / (1 << 20) + " MB free)");
                                return;
                            }
                            nextCheck = bytes + FREE_CHECK;
                        }
                        out.write(ByteBuffer.wrap(buf, 0, n));
                        bytes += n;
                    }
                }
                finish("");
            } catch (IOException e) {
                synchronized (this) {
                    if (!done) {
                        failure = e;
                        finish(bytes > 0 ? "reading it failed after " + bytes + " bytes: " + e.getMessage() : "");
                    }
                }
            }
        }

        private synchronized void finish(String why) {
            if (!done) {
                done = true;
                stopped = why;
            }
        }

        /** No more is written; if the copy was still going, {@code why} says why it stopped. */
        void stop(String why) {
            InputStream open;
            synchronized (this) {
                if (done) {
                    return;
                }
                finish(why);
                open = in;
            }
            if (open != null && open != System.in) {
                try {
                    open.close(); // wakes a read blocked on a pipe
                } catch (IOException e) {
                    // the copy is over all the same
                }
            }
        }

        synchronized long bytes() {
            return bytes;
        }

        synchronized Spooled result() throws IOException {
            if (failure != null && bytes == 0) {
                Files.deleteIfExists(file);
                throw failure;
            }
            return new Spooled(file, bytes, stopped);
        }
    }
}
