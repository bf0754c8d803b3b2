package io.lockscope.analyzer.jfr;

import io.lockscope.model.Recording;
import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads a JDK Flight Recorder recording into a {@link Recording} and the thread dumps it holds.
 * The header is checked first. Format 2.x (JDK 11 on) is read by lockscope's own parser
 * ({@link JfrChunkDecoder}), or by the JDK's where lockscope's declines a file; older formats and
 * gzipped files, on which the JDK's parser silently returns nothing, go to JMC's parser; a 2.x
 * file on which the JDK's parser fails part-way is read again with JMC's, keeping the chunks
 * before the damage.
 */
public final class JfrReader {

    /** The events lockscope reads; the parser skips all others. */
    static final List<String> EVENT_TYPES = List.of("jdk.ThreadStart", "jdk.ThreadEnd", "jdk.JavaExceptionThrow",
            "jdk.JavaErrorThrow", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.ThreadPark", "jdk.ThreadSleep",
            "jdk.VirtualThreadPinned", "jdk.JavaMonitorInflate", "jdk.ThreadDump", "jdk.JVMInformation");

    /** What reading came to. */
    public record Result(Recording recording, int threadDumps, String message, boolean complete) {
    }

    private JfrReader() {
    }

    /** Which parser reads format 2.x: lockscope's own (jdk.jfr when it declines), or jdk.jfr alone. */
    enum Parser { LOCKSCOPE, JDK }

    /**
     * The parser for 2.x files: lockscope's unless the system property {@code lockscope.jfr.parser}
     * is {@code jdk}, to check a result against the JDK's reading.
     */
    static Parser defaultParser() {
        return "jdk".equals(System.getProperty("lockscope.jfr.parser")) ? Parser.JDK : Parser.LOCKSCOPE;
    }

    public static Result read(Path path, String display, boolean gzip, Consumer<Snapshot> snapshots) throws IOException {
        return read(path, display, gzip, snapshots, defaultParser());
    }

    static Result read(Path path, String display, boolean gzip, Consumer<Snapshot> snapshots, Parser parser) throws IOException {
        int[] version = version(path, gzip);
        String format = version[0] + "." + version[1];
        if (version[0] > 2) {
            throw new IOException("JFR format " + format + " in its header: lockscope reads 0.9 (JDK 7 and 8), 1.0 (JDK 9) and 2.x (JDK 11 on)");
        }
        if (gzip || version[0] < 1) {
            return read(path, display, gzip, snapshots, parser, version, null);
        }
        // parsers are only ever given whole chunks (see JfrChunkChain)
        JfrChunkChain chain = JfrChunkChain.scan(path);
        if (chain.wholeChunks() == 0) {
            throw new IOException("JFR " + format + ": " + chain.damage() + "; a chunk's events are laid out by its metadata at the"
                    + " chunk's end, so none of its events can be read");
        }
        if (chain.whole()) {
            return read(path, display, false, snapshots, parser, version, null);
        }
        Path whole = io.lockscope.analyzer.input.TempFiles.newFile(".jfr");
        try {
            try (java.nio.channels.FileChannel from = java.nio.channels.FileChannel.open(path);
                    java.nio.channels.FileChannel to = java.nio.channels.FileChannel.open(whole, java.nio.file.StandardOpenOption.WRITE)) {
                long done = 0;
                while (done < chain.wholeBytes()) {
                    done += from.transferTo(done, chain.wholeBytes() - done, to);
                }
            }
            return read(whole, display, false, snapshots, parser, version, chain);
        } finally {
            Files.deleteIfExists(whole);
        }
    }

    /** Reads a file of whole chunks; {@code cut} says what was left out after them, if anything. */
    private static Result read(Path path, String display, boolean gzip, Consumer<Snapshot> snapshots, Parser parser, int[] version,
            JfrChunkChain cut) throws IOException {
        String format = version[0] + "." + version[1];
        boolean jdkParser = !gzip && version[0] >= 2;
        RecordingBuilder builder = new RecordingBuilder(display);
        boolean complete = true;
        String damage = null;
        String via = null;
        String declined = "";
        if (jdkParser && parser == Parser.LOCKSCOPE) {
            try {
                JfrChunkDecoder.Outcome read = JfrChunkDecoder.decode(path, builder);
                complete = read.whole();
                damage = read.damage().orElse(null);
                via = "lockscope's parser";
            } catch (IOException | RuntimeException | StackOverflowError e) {
                // what lockscope's parser does not take on, or fails on (types nested without end), jdk.jfr reads from the start
                declined = " (lockscope's parser declined: " + (e instanceof JfrChunkDecoder.Unsupported ? e.getMessage()
                        : ChunkInput.named(e)) + ")";
                if (e instanceof JfrChunkDecoder.Damaged) {
                    // the other parsers may read past damage without a word: the recording is partial all the same
                    damage = "damaged: " + e.getMessage() + "; what the other parser read of it is kept";
                }
                builder = new RecordingBuilder(display);
            }
        }
        if (via != null) {
            // read
        } else if (jdkParser) {
            try {
                JdkJfrDecoder.decode(path, builder);
                via = "jdk.jfr" + declined;
            } catch (IOException | RuntimeException | InternalError | StackOverflowError e) {
                // the JDK's parser failed part-way (InternalError on some multi-chunk files, StackOverflowError on
                // metadata that nests without end): start over with JMC's
                String why = ChunkInput.named(e) + declined;
                builder = new RecordingBuilder(display);
                try {
                    complete = JmcJfrDecoder.decode(path, false, builder);
                } catch (IOException jmc) {
                    // none of the three read it: say what each said
                    throw new IOException(damage != null ? damage.replaceFirst("; what the other parser read of it is kept$", "")
                            + "; jdk.jfr failed (" + why + "); " + jmc.getMessage() : jmc.getMessage() + " (jdk.jfr: " + why + ")", jmc);
                }
                via = "JMC's parser, after jdk.jfr failed (" + why + ")";
            }
        } else {
            complete = JmcJfrDecoder.decode(path, gzip, builder);
            via = "JMC's parser" + (version[0] == 0 ? " (legacy format)" : version[0] == 1 ? " (JDK 9 format, event names mapped)" : "")
                    + (gzip ? ", through gzip" : "");
        }
        long events = builder.counts().values().stream().mapToLong(Long::longValue).sum();
        String note = cut != null ? cut.damage() + "; read those, left out the rest"
                : damage != null ? damage
                : complete ? "" : "a damaged or cut-short chunk was left out; the chunks before it are kept";
        complete &= cut == null && damage == null;
        Recording r = builder.build(complete, note, snapshots);
        String message = "JFR " + format + " via " + via + "; " + events + " lock and thread events"
                + (builder.threadDumpCount() > 0 ? ", " + builder.threadDumpCount() + " thread dumps" : "")
                + (complete ? "" : "; " + note);
        return new Result(r, builder.threadDumpCount(), message, complete);
    }

    /** The format version from the header: "FLR\0", then major and minor as two-byte numbers. */
    static int[] version(Path path, boolean gzip) throws IOException {
        try (InputStream raw = Files.newInputStream(path); InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
            byte[] head = in.readNBytes(8);
            if (head.length < 8 || head[0] != 'F' || head[1] != 'L' || head[2] != 'R' || head[3] != 0) {
                throw new IOException("not a JFR recording");
            }
            return new int[] {((head[4] & 0xff) << 8) | (head[5] & 0xff), ((head[6] & 0xff) << 8) | (head[7] & 0xff)};
        }
    }
}
