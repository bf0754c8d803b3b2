package io.lockscope.analyzer.input;

import io.lockscope.analyzer.threaddump.TextDialect;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Tells a file's format from its first bytes: magic numbers for binary formats, then the shape of
 * the text. The one place where formats are told apart.
 */
public final class FormatDetector {

    static final int HEAD_BYTES = 64 * 1024;
    /** How far past lines too long to tell anything detection reads for {@link #HEAD_BYTES} of lines that do. */
    static final int MAX_SCAN = 16 << 20;
    /** How far into a text with no marker in its head detection looks for the banner of a dump that a log holds further down. */
    static final long MAX_DEEP_SCAN = 64L << 20;
    /** The banner, at a line's start, of the dumps that logs hold far down and only their own reader reads: JRockit's, in a WebLogic log. */
    private static final byte[] DEEP_BANNER = "===== FULL THREAD DUMP".getBytes(StandardCharsets.ISO_8859_1);
    /** How many NUL bytes detection passes over at a text's start (a log truncated under its writer) before it calls the file binary. */
    static final long MAX_NUL_SCAN = 1L << 30;
    /** How deep text in layers is looked into (UTF-16 around a Docker log around a dump is three); a file deeper is no dump. */
    private static final int MAX_LAYERS = 3;
    /** Formats told by a marker of their own, in the order they are preferred when their threads are as many. */
    private static final List<InputFormat> MARKED = List.of(InputFormat.JAVACORE, InputFormat.JROCKIT, InputFormat.ANR);
    /** Formats whose thread headers are shaped as HotSpot's are, in the order they are preferred. */
    private static final List<InputFormat> SHARED_SHAPE = List.of(InputFormat.TOMCAT_THREADDUMP, InputFormat.IGNITE_THREADS,
            InputFormat.ARTHAS, InputFormat.HADOOP_STACKS, InputFormat.DROPWIZARD_THREADS, InputFormat.THREADINFO);

    private static final byte[] HPROF_MAGIC = "JAVA PROFILE 1.0.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JFR_MAGIC = {'F', 'L', 'R', 0};
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private static final Pattern HOTSPOT_HEADER = Pattern.compile("(?m)^\\s*(?>\"[^\n]*?\" )[^\n]*(?:tid=|prio=)");
    private static final Pattern VISUALVM_HEADER = Pattern.compile("(?m)^" + TextDialect.ACTUATOR_HEADER);
    /** Spring Boot's actuator writes lock lines as HotSpot does, "- locked <6e68b1a0> (a ...)"; VisualVM as "- locked pkg.Class@hash" */
    private static final Pattern ACTUATOR_LOCK = Pattern.compile("(?m)^\t- (?:locked|waiting on|waiting to lock|parking to wait for|Locked) <[0-9a-f]+> \\(a ");
    /** The JDK 6 JMX demo's rendering (FullThreadDump): "name" id=3149 in RUNNABLE */
    private static final Pattern THREADINFO_HEADER = Pattern.compile("(?m)^" + TextDialect.JMX_DEMO_HEADER);
    /** ThreadInfo.toString(): "name" daemon prio=5 Id=12 WAITING on ... (no prio before JDK 9) */
    private static final Pattern THREADINFO_TOSTRING = Pattern.compile("(?m)^" + TextDialect.THREADINFO_HEADER);
    /** HotSpot's own: every release prints nid=, which JRockit's, ART's and the renderings' headers lack. */
    private static final Pattern NID_HEADER = Pattern.compile("(?m)^\\s*(?>\"[^\\n]*?\" )[^\\n]*nid=");
    /** A javacore's lines are tagged, each with its level and section: "1TISIGINFO", "3XMTHREADINFO", "4XESTACKTRACE" */
    private static final Pattern JAVACORE_THREAD = Pattern.compile("(?m)^[1-9][A-Z]{2}[A-Z0-9]+ ");
    /** JRockit's headers, "\"Main Thread\" id=1 idx=0x2 tid=5584", "\"Main Thread\"  id: 0x00000080", or admin's "Thread-0x80 \"Main Thread\"" */
    private static final Pattern JROCKIT_THREAD = Pattern.compile("(?m)^(?:(?>\"[^\\n]*?\" )[^\\n]*? id[=:]|Thread-0x[0-9a-fA-F]+ \")");
    /** ART's: "\"main\" prio=5 tid=1 Blocked" */
    private static final Pattern ANR_THREAD = Pattern.compile("(?m)^\"[^\\n]*\" (?:daemon )?prio=\\d+ tid=\\d+ ");
    private static final Pattern TID_HEADER = Pattern.compile("(?m)^\\s*(?>\"[^\n]*?\" )[^\n]*tid=");
    private static final Pattern SA_THREAD = Pattern.compile("(?m)^" + TextDialect.AGENT_THREAD);
    /** a frame as the Serviceability Agent prints it: " - java.lang.Thread.sleep(long) @bci=0 (Interpreted frame)" */
    private static final Pattern SA_FRAME = Pattern.compile("(?m)^" + TextDialect.AGENT_FRAME);
    private static final Pattern JROCKIT = Pattern.compile("(?m)^===== FULL THREAD DUMP");
    private static final Pattern JAVACORE = Pattern.compile("(?m)^0SECTION|^1TISIGINFO");
    /** Android's ART: "----- pid 28941 at 2023-04-04 22:06:31.064728684+0200 -----" (or its waiting channels) */
    private static final Pattern ANR = Pattern.compile("(?m)^----- (?:Waiting Channels: )?pid \\d+ at .* -----$");
    private static final Pattern FULL_DUMP = Pattern.compile("(?m)^\\s*Full thread dump");
    /** jcmd Thread.dump_to_file's text: the pid and the time on its first lines, then "#24 \"name\" [virtual] [STATE time]" */
    private static final Pattern DUMP_TO_FILE_TEXT = Pattern.compile("\\A\\s*\\d+\\r?\\n\\d{4}-\\d\\d-\\d\\dT[^\\n]*\\r?\\n[^\\n]*\\r?\\n"
            + "(?:\\r?\\n)*#\\d+ \"");
    /** Hadoop's printThreadInfo: "Thread 12 (stocker):", then "  State: BLOCKED" */
    private static final Pattern HADOOP_THREAD = Pattern.compile("(?m)^Thread \\d+(?: \\(.*\\))?:\\r?\\n  State: [A-Z_]+\\r?$");
    /** Dropwizard Metrics' ThreadDump: "\"closer\" id=14 state=BLOCKED" */
    private static final Pattern DROPWIZARD_HEADER = Pattern.compile("(?m)^\".*\" id=\\d+ state=[A-Z_]+");
    /** Tomcat's Diagnostics: "\"closer\" Id=14 cpu=934659 ns usr=0 ns blocked 1 for -1 ms ..." */
    private static final Pattern TOMCAT_THREAD = Pattern.compile("(?m)^\".*\" Id=\\d+ cpu=-?\\d+ ns usr=");
    /**
     * Arthas: its prompt, "[arthas@6014]$ thread -n -1"; a thread as thread -n prints it, "\"closer\" Id=14 cpuUsage=0.0% ...";
     * or as thread ID and thread -b do, ThreadInfo.toString()'s header without prio= over frames indented by four spaces
     */
    private static final Pattern ARTHAS = Pattern.compile("(?m)^(?:\u001B\\[[0-9;]*m)*\\[arthas@\\d+]\\$|^\".*\" Id=\\d+ cpuUsage="
            + "|^\".*\" Id=\\d+ [A-Z_]+.*\\r?\\n {4}at ");
    /** Apache Ignite's dumpThreads: "Thread [name=\"closer\", id=15, state=BLOCKED, blockCnt=1, waitCnt=0]" */
    private static final Pattern IGNITE_THREAD = Pattern.compile("(?m)^(?:##### DEADLOCKED )?Thread \\[name=\".*\", id=\\d+, state=");
    /** ThreadInfo's properties as Jackson names them, under any naming strategy: "lockOwnerId", "lock_owner_id", "ThreadState" */
    private static final Pattern ACTUATOR_NAMES = Pattern.compile("(?i)\"(?:lock[_.-]?owner[_.-]?id|thread[_.-]?state)\"");

    private FormatDetector() {
    }

    public static Detection detect(Path path) throws IOException {
        return detect(path, Set.of());
    }

    /**
     * As {@link #detect(Path)}, the formats in {@code ruledOut} passed over: the next guess for a
     * text whose first guess read nothing.
     */
    public static Detection detect(Path path, Set<InputFormat> ruledOut) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            byte[] head = in.readNBytes(HEAD_BYTES);
            if (startsWith(head, GZIP_MAGIC)) {
                byte[] inner = new byte[HEAD_BYTES];
                int n = 0;
                try (InputStream gz = new GZIPInputStream(Files.newInputStream(path), 1 << 16)) {
                    int r;
                    while (n < inner.length && (r = gz.read(inner, n, inner.length - n)) > 0) {
                        n += r;
                    }
                } catch (IOException e) {
                    // damaged or cut short: tell the format from what did decompress; the reader says how far it got
                    if (n == 0) {
                        return new Detection(InputFormat.UNKNOWN, true, "gzip data that cannot be opened: " + e.getMessage());
                    }
                }
                Reopen gz = () -> new GZIPInputStream(Files.newInputStream(path), 1 << 16);
                return told(java.util.Arrays.copyOf(inner, n), gz, ruledOut).gzipped();
            }
            return told(head, () -> Files.newInputStream(path), ruledOut);
        }
    }

    /**
     * The format of a text (or a binary file) whose first bytes are {@code head}. A head of NULs,
     * as a log truncated under its writer starts with, is told from the text after them, up to
     * {@link #MAX_NUL_SCAN} NULs in.
     */
    private static Detection told(byte[] head, Reopen reopen, Set<InputFormat> ruledOut) throws IOException {
        Detection d = deeper(detect(textHead(head, reopen), 0, ruledOut), head.length, reopen, ruledOut);
        if (d.format() != InputFormat.UNKNOWN || !NulRuns.within(head) || NulRuns.drop(head).length >= HEAD_BYTES / 2) {
            return d;
        }
        Reopen text = () -> new NulRuns(reopen.open(), MAX_NUL_SCAN);
        NulRuns.Head kept;
        try {
            kept = NulRuns.head(reopen.open(), HEAD_BYTES, MAX_NUL_SCAN);
        } catch (IOException e) {
            return d; // damaged further on: the head's answer stands
        }
        if (kept.text().length == 0) {
            return new Detection(InputFormat.UNKNOWN, false, kept.noText(MAX_NUL_SCAN));
        }
        Detection t = deeper(detect(textHead(kept.text(), text), 0, ruledOut), kept.text().length, text, ruledOut);
        return t.format() == InputFormat.UNKNOWN ? d : t;
    }

    /**
     * A text whose head told no format (a server's log, a bug report) told again from the first
     * line further down, within {@link #MAX_DEEP_SCAN}, that begins a JRockit dump: a WebLogic
     * server's log holds them after megabytes of its own lines, and the HotSpot reader, which
     * reads what the head tells nothing of, took JRockit's threads for HotSpot's. HotSpot's own
     * dumps and those of Hadoop and Ignite are found anywhere by that reader already.
     */
    private static Detection deeper(Detection d, int headLength, Reopen reopen, Set<InputFormat> ruledOut) {
        if (d.format() != InputFormat.JSTACK || !d.note().equals("text") || !d.layers().isEmpty() || headLength < HEAD_BYTES) {
            return d;
        }
        try (InputStream in = reopen.open()) {
            byte[] buf = new byte[1 << 16];
            int matched = 0; // how much of the banner the line so far begins with; -1 once it does not
            long scanned = 0;
            for (int n; scanned < MAX_DEEP_SCAN && (n = in.read(buf)) > 0; scanned += n) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        matched = 0;
                    } else if (matched >= 0 && buf[i] == DEEP_BANNER[matched]) {
                        if (++matched == DEEP_BANNER.length) {
                            // told from the banner on, as a file that began there would be
                            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream(HEAD_BYTES);
                            head.writeBytes(DEEP_BANNER);
                            head.write(buf, i + 1, Math.min(n - i - 1, HEAD_BYTES - head.size()));
                            head.writeBytes(in.readNBytes(HEAD_BYTES - head.size()));
                            Detection there = detect(head.toByteArray(), 0, ruledOut);
                            return there.format() == InputFormat.JROCKIT ? there : d;
                        }
                    } else {
                        matched = -1;
                    }
                }
            }
        } catch (IOException e) {
            // damaged further on: the head's answer stands
        }
        return d;
    }

    /** Opens a stream again, for a second look. */
    private interface Reopen {
        InputStream open() throws IOException;
    }

    /**
     * The head of a text, lines too long to tell anything left out: a log whose first lines are
     * a classpath or a broken writer's megabyte is told by the lines below them, read on up to
     * {@link #MAX_SCAN}. Any other head (binary, UTF-16, short lines, the whole file) as it is.
     */
    private static byte[] textHead(byte[] head, Reopen reopen) {
        if (head.length < HEAD_BYTES || !hasLongLine(head) || looksBinary(head) || ByteOrderMark.utf16(head).isPresent()
                || TextBeforeJson.documentAt(head) >= 0) {
            return head;
        }
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream(HEAD_BYTES);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        boolean tooLong = false;
        try (InputStream in = new BufferedInputStream(reopen.open(), 1 << 16)) {
            long scanned = 0;
            int b;
            while (kept.size() < HEAD_BYTES && scanned++ < MAX_SCAN && (b = in.read()) >= 0) {
                if (b == '\n') {
                    if (!tooLong) {
                        kept.writeBytes(line.toByteArray());
                    }
                    kept.write('\n');
                    line.reset();
                    tooLong = false;
                } else if (!tooLong) {
                    line.write(b);
                    tooLong = line.size() > TextDialect.MAX_HEADER_LINE;
                }
            }
        } catch (IOException e) {
            // damaged further on: what was kept tells as much as it can
        }
        if (!tooLong) {
            kept.writeBytes(line.toByteArray());
        }
        return kept.size() == 0 ? head : kept.toByteArray();
    }

    private static boolean hasLongLine(byte[] head) {
        int run = 0;
        for (byte b : head) {
            run = b == '\n' ? 0 : run + 1;
            if (run > TextDialect.MAX_HEADER_LINE) {
                return true;
            }
        }
        return false;
    }

    static Detection detect(byte[] head) {
        return detect(head, 0, Set.of());
    }

    /** As {@link #detect(byte[])}, inside {@code layers} layers of text already: past {@link #MAX_LAYERS}, text as it is. */
    private static Detection detect(byte[] head, int layers, Set<InputFormat> ruledOut) {
        // text in layers (UTF-16 as Windows PowerShell writes a redirect, UTF-8 with a mark, Docker's json-file
        // log): told by the text inside, which the reader is handed
        Optional<Detection.TextLayer> layer = layers < MAX_LAYERS ? ByteOrderMark.layer(head) : Optional.empty();
        if (layer.isPresent()) {
            return detect(ByteOrderMark.head(head), layers + 1, ruledOut).under(layer.get());
        }
        if (layers < MAX_LAYERS && JfrPrintJson.is(head)) {
            return detect(JfrPrintJson.head(head), layers + 1, ruledOut).under(Detection.TextLayer.JFR_PRINT_JSON);
        }
        if (layers < MAX_LAYERS && JolokiaValue.is(head)) {
            return detect(JolokiaValue.head(head), layers + 1, ruledOut).under(Detection.TextLayer.JOLOKIA_VALUE);
        }
        if (layers < MAX_LAYERS && DockerJsonLog.is(head)) {
            return detect(DockerJsonLog.head(head), layers + 1, ruledOut).under(Detection.TextLayer.DOCKER_JSON);
        }
        if (startsWith(head, HPROF_MAGIC)) {
            return new Detection(InputFormat.HPROF, false, "");
        }
        if (startsWith(head, "JAVA PROFILE ".getBytes(StandardCharsets.US_ASCII))) {
            int end = 0;
            while (end < Math.min(head.length, 40) && head[end] >= 0x20 && head[end] < 0x7f) {
                end++;
            }
            return new Detection(InputFormat.UNKNOWN, false, "an HPROF header of a version lockscope does not know: "
                    + new String(head, 0, end, StandardCharsets.US_ASCII));
        }
        if (startsWith(head, JFR_MAGIC)) {
            return new Detection(InputFormat.JFR, false, "");
        }
        if (startsWith(head, ZIP_MAGIC)) {
            return new Detection(InputFormat.ZIP, false, "");
        }
        if (head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            // POSIX and GNU tar headers carry "ustar" at offset 257
            return new Detection(InputFormat.TAR, false, "");
        }
        if (looksBinary(head)) {
            byte[] text = NulRuns.within(head) ? NulRuns.drop(head) : new byte[0];
            Detection between = text.length > 0 && layers < MAX_LAYERS ? detect(text, layers + 1, ruledOut) : null;
            if (between != null && between.format() != InputFormat.UNKNOWN) {
                // a text with runs of NUL in it (a log truncated under its writer, or after a crash): the reader passes over them
                return between;
            }
            return new Detection(InputFormat.UNKNOWN, false, "binary data starting with " + describe(head));
        }
        int json = layers < MAX_LAYERS ? TextBeforeJson.documentAt(head) : 0;
        if (json > 0) {
            Detection inside = detect(java.util.Arrays.copyOfRange(head, json, head.length), layers + 1, ruledOut);
            if (inside.format() == InputFormat.JCMD_JSON || inside.format() == InputFormat.ACTUATOR_JSON
                    || inside.format() == InputFormat.JOLOKIA_JSON || !inside.layers().isEmpty()) {
                return inside.under(Detection.TextLayer.TEXT_BEFORE_JSON);
            }
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String body = text;
        if (text.startsWith("HTTP/")) {
            // curl -i output: a response's headers, then its body
            int blank = text.indexOf("\r\n\r\n");
            blank = blank < 0 ? text.indexOf("\n\n") : blank;
            body = blank < 0 ? "" : text.substring(blank).strip();
        }
        String trimmed = body.stripLeading();
        if (trimmed.startsWith("{") || trimmed.matches("(?s)^\\[\\s*[{\\]].*")) {
            if (trimmed.contains("\"threadDump\"") && trimmed.contains("\"threadContainers\"")) {
                return new Detection(InputFormat.JCMD_JSON, false, "");
            }
            if (trimmed.contains("\"lockscopeCapture\"")) {
                return new Detection(InputFormat.CAPTURE_MANIFEST, false, CaptureManifest.describe(trimmed));
            }
            if (ACTUATOR_NAMES.matcher(trimmed).find()) {
                boolean jolokia = trimmed.matches("(?s)\\A\\{\\s*\"request\"\\s*:\\s*\\{.*") && trimmed.contains("\"value\"");
                return new Detection(jolokia ? InputFormat.JOLOKIA_JSON : InputFormat.ACTUATOR_JSON, false, "");
            }
            return new Detection(InputFormat.UNKNOWN, false, "JSON that is not a thread dump");
        }
        return textFormat(withoutLongLines(text), ruledOut);
    }

    /**
     * A text's format, told by the markers of each: a format's own markers (a javacore's tags, a
     * JRockit dump's banner) or, where several formats' thread headers could be in it, whichever
     * has the most. One stray line of another tool's does not take a file from its own reader.
     */
    private static Detection textFormat(String text, Set<InputFormat> ruledOut) {
        int nid = count(NID_HEADER, text);
        int tid = count(TID_HEADER, text);
        int hotspot = count(HOTSPOT_HEADER, text);
        int visualvm = count(VISUALVM_HEADER, text);
        int threadinfo = count(THREADINFO_HEADER, text);
        int sa = count(SA_THREAD, text);
        Map<InputFormat, Integer> headers = new java.util.EnumMap<>(InputFormat.class);
        for (InputFormat f : SHARED_SHAPE) {
            headers.put(f, ruledOut.contains(f) ? 0 : count(header(f), text));
        }
        // a javacore, a JRockit dump and an ANR trace each have a marker of their own; one stray
        // marker in another format's file is outnumbered by that file's thread headers
        int theirs = Math.max(Math.max(nid, visualvm), Math.max(Math.max(threadinfo, sa), java.util.Collections.max(headers.values())));
        InputFormat marked = null;
        int markedThreads = -1;
        for (InputFormat f : MARKED) {
            if (!ruledOut.contains(f) && matches(marker(f), text)) {
                int n = count(marker(f), text) + count(threads(f), text);
                if (n > markedThreads) {
                    marked = f;
                    markedThreads = n;
                }
            }
        }
        if (marked != null && markedThreads >= theirs) {
            return new Detection(marked, false, "");
        }
        if (!ruledOut.contains(InputFormat.JCMD_TEXT) && matches(DUMP_TO_FILE_TEXT, text) && !matches(HOTSPOT_HEADER, text)) {
            return new Detection(InputFormat.JCMD_TEXT, false, "");
        }
        // HotSpot's headers as the formats below would have to outnumber them: prio= is left out,
        // for ThreadInfo.toString() prints it too
        int others = Math.max(Math.max(tid, visualvm), Math.max(threadinfo, sa));
        for (InputFormat f : SHARED_SHAPE) {
            if (!ruledOut.contains(f) && headers.get(f) > others) {
                return new Detection(f, false, "");
            }
        }
        int best = Math.max(Math.max(hotspot, visualvm), Math.max(threadinfo, sa));
        if (best > 0 && best != hotspot) {
            InputFormat f = best == visualvm ? (matches(ACTUATOR_LOCK, text) ? InputFormat.ACTUATOR_TEXT : InputFormat.VISUALVM_TEXT)
                    : best == threadinfo ? InputFormat.THREADINFO_TEXT : InputFormat.JSTACK_F;
            if (!ruledOut.contains(f)) {
                return new Detection(f, false, "");
            }
        }
        if (hotspot > 0 && matches(SA_FRAME, text) && !ruledOut.contains(InputFormat.JHSDB)) {
            // jhsdb jstack: HotSpot's thread headers over the agent's own frames
            return new Detection(InputFormat.JHSDB, false, "");
        }
        if (hotspot > 0 || matches(FULL_DUMP, text)) {
            return new Detection(InputFormat.JSTACK, false, "");
        }
        if ((text.startsWith("Deadlock Detection:") || text.contains("\nDeadlock Detection:")) && !ruledOut.contains(InputFormat.JSTACK_F)) {
            return new Detection(InputFormat.JSTACK_F, false, "");
        }
        // Text with no marker near its start may still hold dumps further down (a console log):
        // the HotSpot reader scans all of it and says so if it finds none.
        return new Detection(InputFormat.JSTACK, false, "text");
    }

    private static Pattern marker(InputFormat f) {
        return switch (f) {
            case JAVACORE -> JAVACORE;
            case JROCKIT -> JROCKIT;
            default -> ANR;
        };
    }

    private static Pattern threads(InputFormat f) {
        return switch (f) {
            case JAVACORE -> JAVACORE_THREAD;
            case JROCKIT -> JROCKIT_THREAD;
            default -> ANR_THREAD;
        };
    }

    /** The thread header that tells a format whose headers may stand beside HotSpot's. */
    private static Pattern header(InputFormat f) {
        return switch (f) {
            case TOMCAT_THREADDUMP -> TOMCAT_THREAD;
            case IGNITE_THREADS -> IGNITE_THREAD;
            case ARTHAS -> ARTHAS;
            case HADOOP_STACKS -> HADOOP_THREAD;
            case DROPWIZARD_THREADS -> DROPWIZARD_HEADER;
            default -> THREADINFO_TOSTRING;
        };
    }

    /** The text with each line too long to be a header emptied, lines kept where they are, for the patterns below to try. */
    static String withoutLongLines(String text) {
        StringBuilder kept = null;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            end = end < 0 ? text.length() : end;
            if (end - start > TextDialect.MAX_HEADER_LINE && kept == null) {
                kept = new StringBuilder(text.length()).append(text, 0, start);
            }
            if (kept != null && end - start <= TextDialect.MAX_HEADER_LINE) {
                kept.append(text, start, end);
            }
            if (kept != null && end < text.length()) {
                kept.append('\n');
            }
            start = end + 1;
        }
        return kept == null ? text : kept.toString();
    }

    private static boolean matches(Pattern p, String text) {
        return p.matcher(text).find();
    }

    private static int count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Many control characters (NUL among them) in the first 4 KB: one in twenty bytes. A stray NUL
     * or two, as a log shipper or a crash leaves in a text file, does not make it binary.
     */
    private static boolean looksBinary(byte[] head) {
        int n = Math.min(head.length, 4096);
        int control = 0;
        for (int i = 0; i < n; i++) {
            int b = head[i] & 0xff;
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1b) {
                control++;
            }
        }
        return n > 0 && control * 20 > n;
    }

    /** The first bytes of a file, for a message: hex and printable characters. */
    public static String describe(byte[] head) {
        StringBuilder hex = new StringBuilder();
        StringBuilder chars = new StringBuilder();
        for (int i = 0; i < Math.min(8, head.length); i++) {
            int b = head[i] & 0xff;
            if (i > 0) {
                hex.append(' ');
            }
            hex.append(String.format("%02x", b));
            chars.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return hex + " (\"" + chars + "\")";
    }
}
