package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Reads thread dumps: HotSpot text (any number of dumps per file, with the Serviceability Agent's
 * and Spring Boot actuator's variants), JDK 21+ JSON and Spring Boot actuator's JSON.
 */
public final class ThreadDumpReader {

    private ThreadDumpReader() {
    }

    /**
     * What reading a text file came to.
     *
     * @param bytes how far the reader got, for "read N% of it" when the input broke off
     * @param note  encoding remarks, empty if none
     * @param cutShort how the text shows it was cut short, empty if it does not
     */
    public record TextResult(int snapshots, long lines, long bytes, String note, String cutShort, String excerpt) {
    }

    /** Reads every dump of the dialect in the text, handing each to the sink as soon as it is complete. */
    public static TextResult readText(InputStream in, String name, TextDialect dialect, SnapshotSink sink) throws IOException {
        LineSource lines = new LineSource(in);
        HotSpotTextDecoder.Read decoder;
        try {
            decoder = new HotSpotTextDecoder(name, dialect, sink).decode(lines);
        } catch (IOException e) {
            throw new PartialReadException(e, lines.lineNumber(), lines.bytesConsumed());
        }
        int n = decoder.dumps();
        long open = decoder.openAtEnd();
        String excerpt = String.join("; ", java.util.stream.Stream.of(decoder.excerpts() == 0 ? ""
                : (decoder.excerpts() == 1 ? "a" : decoder.excerpts() + "") + " HotSpot deadlock section" + (decoder.excerpts() == 1 ? "" : "s")
                        + " without the rest of the dump: only the deadlocked threads are known",
                decoder.cutAtFront() == 0 ? "" : "the text begins inside a dump (line " + decoder.cutAtFront() + " is a line of a stack, with no"
                        + " \"Full thread dump\" line above it): the threads before it are missing, so a lock whose owner it does not list"
                        + " is not taken as ownerless").filter(x -> !x.isEmpty()).toList());
        String cut = open > 0 && lines.endedMidLine()
                ? "the dump at line " + open + " breaks off in its last line (" + lines.lineNumber() + "), before HotSpot's closing"
                        + " \"JNI global refs\" line: cut short"
                : open > 0 && decoder.earlierDumpsClosed()
                ? "the dump at line " + open + " stops at the end of the file without the closing \"JNI global refs\" line the"
                        + " dumps before it have: cut short"
                : logCutShort(decoder.logDumps(), lines);
        String prefix = decoder.logPrefix();
        String note = String.join("; ", java.util.stream.Stream.of(
                prefix.isEmpty() ? "" : "read past a log's prefix on each line (\"" + (prefix.length() > 60 ? prefix.substring(0, 60) + "…" : prefix)
                        + "\")",
                decoder.wrapWidth() == 0 ? "" : "lines broken at " + decoder.wrapWidth() + " characters, joined again",
                lines.encodingNote()).filter(x -> !x.isEmpty()).toList());
        return new TextResult(n, lines.lineNumber(), lines.bytesConsumed(), note, cut, excerpt);
    }

    /**
     * Reads a text dump that holds one snapshot: the plain-text form of jcmd Thread.dump_to_file
     * (JDK 21+), or Dropwizard Metrics' ThreadDump.
     */
    public static TextResult readOneDump(OneDump kind, InputStream in, String name, SnapshotSink sink) throws IOException {
        LineSource lines = new LineSource(in);
        Snapshot s;
        try {
            OneDumpText decoder = kind == OneDump.JCMD_TEXT ? new DumpToFileTextDecoder(name) : new MetricsThreadDumpDecoder(name);
            s = decoder.decode(lines);
        } catch (IOException e) {
            throw new PartialReadException(e, lines.lineNumber(), lines.bytesConsumed());
        }
        if (s != null) {
            sink.accept(s);
        }
        String cut = s != null && lines.endedMidLine() ? "the dump breaks off in its last line (" + lines.lineNumber() + "): cut short" : "";
        return new TextResult(s == null ? 0 : 1, lines.lineNumber(), lines.bytesConsumed(), lines.encodingNote(), cut, "");
    }

    /** Which reader of a text dump that holds one snapshot. */
    public enum OneDump { JCMD_TEXT, DROPWIZARD }

    /** Which reader of the text dumps, any number to a file, that are neither HotSpot's nor shaped like it. */
    public enum Foreign { JROCKIT, JAVACORE, ANR, HADOOP, TOMCAT, ARTHAS, IGNITE }

    /**
     * Reads a text dump of another JVM than HotSpot (JRockit, an IBM javacore, an Android ANR trace),
     * or a library's or tool's own rendering of ThreadMXBean (Hadoop's printThreadInfo, Tomcat's
     * Diagnostics, Arthas's thread, Ignite's dumpThreads).
     */
    public static TextResult readForeign(Foreign kind, InputStream in, String name, SnapshotSink sink) throws IOException {
        LineSource lines = new LineSource(in);
        int n;
        String cut = "";
        try {
            switch (kind) {
                case JROCKIT -> {
                    JRockitDecoder d = new JRockitDecoder(name, sink);
                    n = d.decode(lines);
                    if (d.endedOpen() && n > 0) {
                        cut = "the last dump stops at the end of the file without JRockit's \"END OF THREAD DUMP\" line: cut short";
                    }
                }
                case JAVACORE -> {
                    JavacoreDecoder d = new JavacoreDecoder(name, sink);
                    n = d.decode(lines);
                    cut = d.cutShort();
                }
                case TOMCAT -> {
                    n = new TomcatThreadDumpDecoder(name, sink).decode(lines);
                    cut = n > 0 && lines.endedMidLine() ? brokeOff(lines) : "";
                }
                case IGNITE -> {
                    IgniteThreadsDecoder d = new IgniteThreadsDecoder(name, sink);
                    n = d.decode(lines);
                    cut = logCutShort(List.of(d), lines);
                }
                case ARTHAS -> {
                    ArthasDecoder d = new ArthasDecoder(name, sink);
                    n = d.decode(lines);
                    // a session's output ends in its last prompt, without a line break
                    cut = n > 0 && lines.endedMidLine() && d.endedInListing() ? brokeOff(lines) : "";
                }
                case HADOOP -> {
                    HadoopStacksDecoder d = new HadoopStacksDecoder(name + "#", sink);
                    n = d.decode(lines);
                    cut = logCutShort(List.of(d), lines);
                }
                default -> {
                    AnrDecoder d = new AnrDecoder(name, sink);
                    n = d.decode(lines);
                    cut = d.cutShort();
                }
            }
        } catch (IOException e) {
            throw new PartialReadException(e, lines.lineNumber(), lines.bytesConsumed());
        }
        return new TextResult(n, lines.lineNumber(), lines.bytesConsumed(), lines.encodingNote(), cut, "");
    }

    /** How the last dump of a program's own in a log shows it was cut short; empty if none does. */
    private static String logCutShort(List<LogDumps> decoders, LineSource lines) {
        for (LogDumps d : decoders) {
            if (!d.cutShort().isEmpty()) {
                return d.cutShort();
            }
            if (d.openAtEnd() > 0 && lines.endedMidLine()) {
                return "the dump at line " + d.openAtEnd() + " breaks off in its last line (" + lines.lineNumber() + "): cut short";
            }
        }
        return "";
    }

    private static String brokeOff(LineSource lines) {
        return "the last dump breaks off in its last line (" + lines.lineNumber() + "): cut short";
    }

    /**
     * What reading a JSON dump came to: its snapshot, and where it broke off if it did (the threads
     * read before the damage are kept).
     */
    public record JsonResult(Snapshot snapshot, Optional<String> brokeOff) {
    }

    /** Reads a JSON thread dump: one snapshot. */
    public static JsonResult readJson(InputStream in, String name) throws IOException {
        return new JsonThreadDumpDecoder(name).decode(in);
    }

    /** Reads Spring Boot actuator's JSON thread dump, or Jolokia's ThreadInfo objects: one snapshot of that format. */
    public static JsonResult readActuatorJson(InputStream in, String name, String format) throws IOException {
        return new ActuatorJsonDecoder(name, format).decode(in);
    }

    /**
     * The mapper of both JSON readers, made when the first JSON dump is read (a text dump needs
     * none). The JDK writes thread names into its JSON dump as they are: a name with a control
     * character in it (an escape sequence, a tab) makes the file invalid JSON, which is read all
     * the same.
     */
    static final class Json {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();

        private Json() {
        }
    }

    /** Jackson's complaint without its "[Source: ...]" part, and where: "Unexpected end-of-input ... at line 77, column 23". */
    static String describe(com.fasterxml.jackson.core.JsonProcessingException e) {
        var at = e.getLocation();
        return e.getOriginalMessage().replaceAll("\\s+", " ").strip()
                + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
    }

    /** The input broke off (I/O error, truncated gzip); what was read before stays read. */
    public static final class PartialReadException extends IOException {
        private final long line;
        private final long bytes;

        PartialReadException(IOException cause, long line, long bytes) {
            super(cause.getMessage(), cause);
            this.line = line;
            this.bytes = bytes;
        }

        public long line() {
            return line;
        }

        public long bytes() {
            return bytes;
        }
    }
}
