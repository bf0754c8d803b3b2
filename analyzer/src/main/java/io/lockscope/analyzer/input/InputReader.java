package io.lockscope.analyzer.input;

import io.lockscope.analyzer.heap.HeapReader;
import io.lockscope.analyzer.jfr.JfrReader;
import io.lockscope.analyzer.threaddump.SnapshotSink;
import io.lockscope.analyzer.threaddump.TextDialect;
import io.lockscope.analyzer.threaddump.ThreadDumpReader;
import io.lockscope.engine.Words;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads one input file of any format into snapshots, and says what became of it. Never throws
 * for bad input: one bad file never stops the others.
 */
public final class InputReader {

    private InputReader() {
    }

    /** How far a long read has got: pass, bytes, and the file's size (0 when compressed). */
    public interface Progress {
        void at(int pass, long position, long size);
    }

    public static InputReport read(Path path, String display, SnapshotSink sink) {
        return read(path, display, sink, (pass, position, size) -> { });
    }

    public static InputReport read(Path path, String display, SnapshotSink sink, Progress progress) {
        return read(path, display, sink, r -> { }, progress);
    }

    /**
     * Reads one file as {@link #read} does, or, for a zip or tar archive, every file inside it: the
     * archive's report first, then one for each file it holds, named {@code archive!/path}.
     */
    public static java.util.List<InputReport> readAll(Path path, String display, SnapshotSink sink,
            java.util.function.Consumer<io.lockscope.model.Recording> recordings, Progress progress) {
        return readAll(path, display, sink, recordings, progress, 0);
    }

    static java.util.List<InputReport> readAll(Path path, String display, SnapshotSink sink,
            java.util.function.Consumer<io.lockscope.model.Recording> recordings, Progress progress, int depth) {
        Detection d;
        try {
            d = FormatDetector.detect(path);
        } catch (IOException | UncheckedIOException e) {
            return java.util.List.of(cannotRead(display, e));
        }
        if (d.format() == InputFormat.ZIP || d.format() == InputFormat.TAR) {
            if (depth >= Archives.MAX_DEPTH) {
                return java.util.List.of(new InputReport(display, d.format(), InputStatus.SKIPPED, d.format().description()
                        + " inside archives " + depth + " deep: not opened", 0, 0));
            }
            return Archives.read(path, display, d, sink, recordings, progress, depth);
        }
        return java.util.List.of(read(path, display, d, sink, recordings, progress));
    }

    /** Reads one file; for an archive, its own report, the files inside going to the sink as {@link #readAll}'s do. */
    public static InputReport read(Path path, String display, SnapshotSink sink,
            java.util.function.Consumer<io.lockscope.model.Recording> recordings, Progress progress) {
        return readAll(path, display, sink, recordings, progress).get(0);
    }

    /**
     * Reads a file whose format was told already. Whatever the file holds, this returns: a reader
     * that runs out of memory or recurses without end on it fails that file alone, and keeps the
     * dumps it handed on before.
     */
    private static InputReport read(Path path, String display, Detection d, SnapshotSink sink,
            java.util.function.Consumer<io.lockscope.model.Recording> recordings, Progress progress) {
        int[] count = {0};
        SnapshotSink counting = s -> {
            count[0]++;
            sink.accept(s);
        };
        try {
            return readDetected(path, display, d, counting, count, recordings, progress);
        } catch (OutOfMemoryError | StackOverflowError e) {
            String why = e instanceof OutOfMemoryError
                    ? "ran out of memory reading it (" + (Runtime.getRuntime().maxMemory() >> 20) + " MB heap): a bug in lockscope's reader, please report it"
                    : "nested too deep to read (stack overflow): a bug in lockscope's reader, please report it";
            return new InputReport(display, d.format(), count[0] > 0 ? InputStatus.PARTIAL : InputStatus.FAILED,
                    d.format().id() + " " + why + (count[0] > 0 ? "; kept the " + Words.count(count[0], "dump") + " read before it" : ""),
                    count[0], sizeOrZero(path));
        }
    }

    /** How many formats a text is tried as, after its first guess read nothing. */
    private static final int MAX_GUESSES = 3;

    private static InputReport cannotRead(String display, Exception e) {
        return new InputReport(display, InputFormat.UNKNOWN, InputStatus.FAILED, "cannot read: " + reason(e), 0, 0);
    }

    private static long sizeOrZero(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Reads the file; {@code sink} counts what it is handed into {@code count}, for messages about what was kept. */
    private static InputReport readDetected(Path path, String display, Detection d, SnapshotSink counting, int[] count,
            java.util.function.Consumer<io.lockscope.model.Recording> recordings, Progress progress) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException | UncheckedIOException e) {
            return cannotRead(display, e);
        }
        if (size == 0) {
            return new InputReport(display, InputFormat.UNKNOWN, InputStatus.SKIPPED, "empty file", 0, 0);
        }
        InputFormat f = d.format();
        if (f == InputFormat.ZIP || f == InputFormat.TAR) {
            // the files inside go to the sink; the archive's own report says how many were read
            return Archives.read(path, display, d, counting, recordings, progress, 0).get(0);
        }
        if (!f.readable()) {
            return notReadable(display, d, size);
        }
        if (f == InputFormat.HPROF) {
            return readHeap(path, display, d, size, counting, progress);
        }
        if (f == InputFormat.JFR) {
            try {
                JfrReader.Result r = JfrReader.read(path, display, d.gzip(), counting::accept);
                recordings.accept(r.recording());
                return new InputReport(display, f, r.complete() ? InputStatus.READ : InputStatus.PARTIAL,
                        (d.gzip() ? "gzip-compressed " : "") + r.message(), r.threadDumps(), size);
            } catch (IOException | RuntimeException | Error e) {
                return new InputReport(display, f, count[0] > 0 ? InputStatus.PARTIAL : InputStatus.FAILED,
                        "jfr could not be read: " + reason(e instanceof Exception ex ? ex : new IOException(e.toString())), count[0], size);
            }
        }
        InputReport r;
        try (InputStream in = open(path, d.gzip())) {
            r = readText(in, display, d, size, counting);
        } catch (IOException e) {
            return new InputReport(display, f, InputStatus.FAILED, "cannot read: " + reason(e), 0, size);
        }
        return r.snapshots() == 0 ? nextGuess(path, display, d, size, counting, r) : r;
    }

    /**
     * A text whose start looked like one format and that holds none of it, told again with that
     * format ruled out, and read as the next guess says, until one finds dumps: a dump below one
     * stray line of another tool's (an Arthas prompt, a javacore's tag) is not lost to that line.
     */
    private static InputReport nextGuess(Path path, String display, Detection first, long size, SnapshotSink sink, InputReport none) {
        java.util.Set<InputFormat> ruledOut = java.util.EnumSet.of(first.format());
        Detection d = first;
        while (ruledOut.size() <= MAX_GUESSES && streamable(d.format()) && d.format() != InputFormat.JSTACK) {
            try {
                d = FormatDetector.detect(path, ruledOut);
            } catch (IOException | UncheckedIOException e) {
                return none;
            }
            if (!streamable(d.format()) || ruledOut.contains(d.format())) {
                return none;
            }
            InputReport r;
            try (InputStream in = open(path, d.gzip())) {
                r = readText(in, display, d, size, sink);
            } catch (IOException e) {
                return none;
            }
            if (r.snapshots() > 0) {
                return new InputReport(r.path(), r.format(), r.status(), r.message() + "; its start looked like "
                        + first.format().description() + ", but it holds none", r.snapshots(), r.bytes());
            }
            ruledOut.add(d.format());
        }
        return none;
    }

    /** Whether a format is read as a stream from its start to its end (text and JSON), with no need of a file. */
    static boolean streamable(InputFormat f) {
        return f.readable() && f != InputFormat.HPROF && f != InputFormat.JFR && f != InputFormat.ZIP && f != InputFormat.TAR;
    }

    /** Reads a thread dump of a {@link #streamable} format from a stream (uncompressed already). */
    static InputReport readText(InputStream raw, String display, Detection d, long size, SnapshotSink sink) {
        InputFormat f = d.format();
        int[] count = {0};
        SnapshotSink counting = s -> {
            count[0]++;
            sink.accept(s);
        };
        // NULs are passed over in the bytes as they come, or in UTF-16's once decoded (where every other byte is one)
        boolean utf16 = d.layers().contains(Detection.TextLayer.UTF16LE) || d.layers().contains(Detection.TextLayer.UTF16BE);
        NulRuns nuls = new NulRuns(utf16 ? InputStream.nullInputStream() : raw);
        try {
            // the layers detection found, taken off outermost first
            InputStream in = utf16 ? raw : new BufferedInputStream(nuls, 1 << 16);
            StringBuilder layers = new StringBuilder();
            for (Detection.TextLayer layer : d.layers()) {
                in = switch (layer) {
                    case TEXT_BEFORE_JSON -> TextBeforeJson.open(in);
                    case DOCKER_JSON -> DockerJsonLog.open(in);
                    case JOLOKIA_VALUE -> JolokiaValue.open(in);
                    case JFR_PRINT_JSON -> JfrPrintJson.open(in);
                    default -> ByteOrderMark.open(in, layer);
                };
                if (utf16 && (layer == Detection.TextLayer.UTF16LE || layer == Detection.TextLayer.UTF16BE)) {
                    nuls = new NulRuns(in);
                    in = new BufferedInputStream(nuls, 1 << 16);
                }
                if (!layer.note().isEmpty()) {
                    layers.append("; ").append(layer.note());
                }
            }
            String decoded = layers.toString();
            if (f == InputFormat.JCMD_JSON || f == InputFormat.ACTUATOR_JSON || f == InputFormat.JOLOKIA_JSON) {
                ThreadDumpReader.JsonResult r = f == InputFormat.JCMD_JSON ? ThreadDumpReader.readJson(in, display)
                        : ThreadDumpReader.readActuatorJson(in, display, f.id());
                counting.accept(r.snapshot());
                return r.brokeOff()
                        .map(why -> new InputReport(display, f, InputStatus.PARTIAL, "1 dump, cut short: broke off " + why
                                + "; kept the " + Words.count(r.snapshot().threads().size(), "thread") + " read before it", 1, size))
                        .orElse(new InputReport(display, f, InputStatus.READ, "1 dump" + decoded + holes(nuls, d), 1, size));
            }
            ThreadDumpReader.TextResult r = switch (f) {
                case JROCKIT -> ThreadDumpReader.readForeign(ThreadDumpReader.Foreign.JROCKIT, in, display, counting);
                case JAVACORE -> ThreadDumpReader.readForeign(ThreadDumpReader.Foreign.JAVACORE, in, display, counting);
                case ANR -> ThreadDumpReader.readForeign(ThreadDumpReader.Foreign.ANR, in, display, counting);
                case HADOOP_STACKS -> ThreadDumpReader.readForeign(ThreadDumpReader.Foreign.HADOOP, in, display, counting);
                case TOMCAT_THREADDUMP -> ThreadDumpReader.readForeign(ThreadDumpReader.Foreign.TOMCAT, in, display, counting);
                case ARTHAS -> ThreadDumpReader.readForeign(ThreadDumpReader.Foreign.ARTHAS, in, display, counting);
                case IGNITE_THREADS -> ThreadDumpReader.readForeign(ThreadDumpReader.Foreign.IGNITE, in, display, counting);
                case JCMD_TEXT -> ThreadDumpReader.readOneDump(ThreadDumpReader.OneDump.JCMD_TEXT, in, display, counting);
                case DROPWIZARD_THREADS -> ThreadDumpReader.readOneDump(ThreadDumpReader.OneDump.DROPWIZARD, in, display, counting);
                default -> ThreadDumpReader.readText(in, display, f.dialect().orElse(TextDialect.JSTACK), counting);
            };
            if (r.snapshots() == 0) {
                return new InputReport(display, InputFormat.UNKNOWN, InputStatus.SKIPPED,
                        "text with no " + (f == InputFormat.JSTACK ? "HotSpot thread dump" : f.description()) + " in its "
                                + r.lines() + " lines" + holes(nuls, d), 0, size);
            }
            String message = Words.count(r.snapshots(), "dump") + decoded + holes(nuls, d)
                    + (r.note().isEmpty() ? "" : "; " + r.note())
                    + (r.excerpt().isEmpty() ? "" : "; " + r.excerpt())
                    + (r.cutShort().isEmpty() ? "" : "; " + r.cutShort() + ", the last dump kept as far as it goes");
            boolean whole = r.cutShort().isEmpty() && r.excerpt().isEmpty();
            return new InputReport(display, f, whole ? InputStatus.READ : InputStatus.PARTIAL, message, r.snapshots(), size);
        } catch (ThreadDumpReader.PartialReadException e) {
            String where = "broke off at line " + e.line() + (d.gzip() ? " (gzip data ended early or is damaged)" : "")
                    + ": " + e.getMessage();
            InputStatus status = count[0] > 0 ? InputStatus.PARTIAL : InputStatus.FAILED;
            String read = count[0] > 0 ? "; kept the " + Words.count(count[0], "dump") + " read before it, the last one incomplete" : "";
            return new InputReport(display, f, status, where + read + holes(nuls, d), count[0], size);
        } catch (IOException | RuntimeException e) {
            InputStatus status = count[0] > 0 ? InputStatus.PARTIAL : InputStatus.FAILED;
            return new InputReport(display, f, status, f.id() + " could not be read: " + reason(e)
                    + (count[0] > 0 ? "; kept the " + Words.count(count[0], "dump") + " read before it" : "") + holes(nuls, d), count[0], size);
        }
    }

    /** What the message says of the NULs passed over in a text; empty if none. */
    private static String holes(NulRuns nuls, Detection d) {
        return nuls.dropped() == 0 ? "" : "; " + nuls.note(d.layers().isEmpty() && !d.gzip() ? "" : " of its text");
    }

    private static InputReport readHeap(Path path, String display, Detection d, long size, SnapshotSink sink, Progress progress) {
        try {
            HeapReader.Result r = HeapReader.read(path, display, d.gzip(),
                    (pass, position) -> progress.at(pass, position, d.gzip() ? 0 : size));
            sink.accept(r.snapshot());
            return new InputReport(display, InputFormat.HPROF, r.complete() ? InputStatus.READ : InputStatus.PARTIAL,
                    (d.gzip() ? "gzip-compressed " : "") + r.message(), 1, size);
        } catch (IOException | RuntimeException e) {
            return new InputReport(display, InputFormat.HPROF, InputStatus.FAILED, "hprof could not be read: " + reason(e), 0, size);
        }
    }

    /** The report of a file in a format lockscope does not read. */
    static InputReport notReadable(String display, Detection d, long size) {
        InputFormat f = d.format();
        String why = f == InputFormat.UNKNOWN
                ? (d.note().isEmpty() ? "not a thread dump, heap dump or recording" : d.note())
                : f == InputFormat.CAPTURE_MANIFEST ? d.note()
                : f.description() + (d.gzip() ? ", gzip-compressed" : "") + ": not supported yet";
        return new InputReport(display, f, InputStatus.SKIPPED, why, 0, size);
    }

    private static InputStream open(Path path, boolean gzip) throws IOException {
        InputStream raw = Files.newInputStream(path);
        return gzip ? new GZIPInputStream(raw, 1 << 16) : new BufferedInputStream(raw, 1 << 16);
    }


    private static String reason(Exception e) {
        // these two carry only the path as their message, and the report names the file already
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage();
        return (m == null || m.isBlank()) ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
