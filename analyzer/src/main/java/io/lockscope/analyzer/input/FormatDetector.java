package io.lockscope.analyzer.input;

import io.lockscope.analyzer.threaddump.TextDialect;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Tells a file's format from its first bytes: magic numbers for binary formats, then the shape of
 * the text. The one place where formats are told apart.
 */
public final class FormatDetector {

    static final int HEAD_BYTES = 64 * 1024;
    /** How deep text in layers is looked into (UTF-16 around a Docker log around a dump is three); a file deeper is no dump. */
    private static final int MAX_LAYERS = 3;
    private static final byte[] HPROF_MAGIC = "JAVA PROFILE 1.0.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JFR_MAGIC = {'F', 'L', 'R', 0};
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private static final Pattern HOTSPOT_HEADER = Pattern.compile("(?m)^\\s*\".*\" .*(?:tid=|prio=)");
    private static final Pattern VISUALVM_HEADER = Pattern.compile("(?m)^" + TextDialect.ACTUATOR_HEADER);
    /** Spring Boot's actuator writes lock lines as HotSpot does, "- locked <6e68b1a0> (a ...)"; VisualVM as "- locked pkg.Class@hash" */
    private static final Pattern ACTUATOR_LOCK = Pattern.compile("(?m)^\t- (?:locked|waiting on|waiting to lock|parking to wait for|Locked) <[0-9a-f]+> \\(a ");
    /** The JDK 6 JMX demo's rendering (FullThreadDump): "name" id=3149 in RUNNABLE */
    private static final Pattern THREADINFO_HEADER = Pattern.compile("(?m)^" + TextDialect.JMX_DEMO_HEADER);
    /** ThreadInfo.toString(): "name" daemon prio=5 Id=12 WAITING on ... (no prio before JDK 9) */
    private static final Pattern THREADINFO_TOSTRING = Pattern.compile("(?m)^" + TextDialect.THREADINFO_HEADER);
    private static final Pattern TID_HEADER = Pattern.compile("(?m)^\\s*\".*\" .*tid=");
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
                Detection d = detect(java.util.Arrays.copyOf(inner, n));
                return d.gzipped();
            }
            return detect(head);
        }
    }

    static Detection detect(byte[] head) {
        return detect(head, 0);
    }

    /** As {@link #detect(byte[])}, inside {@code layers} layers of text already: past {@link #MAX_LAYERS}, text as it is. */
    private static Detection detect(byte[] head, int layers) {
        // text in layers (UTF-16 as Windows PowerShell writes a redirect, UTF-8 with a mark, Docker's json-file
        // log): told by the text inside, which the reader is handed
        Optional<Detection.TextLayer> layer = layers < MAX_LAYERS ? ByteOrderMark.layer(head) : Optional.empty();
        if (layer.isPresent()) {
            return detect(ByteOrderMark.head(head), layers + 1).under(layer.get());
        }
        if (layers < MAX_LAYERS && JfrPrintJson.is(head)) {
            return detect(JfrPrintJson.head(head), layers + 1).under(Detection.TextLayer.JFR_PRINT_JSON);
        }
        if (layers < MAX_LAYERS && JolokiaValue.is(head)) {
            return detect(JolokiaValue.head(head), layers + 1).under(Detection.TextLayer.JOLOKIA_VALUE);
        }
        if (layers < MAX_LAYERS && DockerJsonLog.is(head)) {
            return detect(DockerJsonLog.head(head), layers + 1).under(Detection.TextLayer.DOCKER_JSON);
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
            return new Detection(InputFormat.UNKNOWN, false, "binary data starting with " + describe(head));
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
        if (matches(JAVACORE, text)) {
            return new Detection(InputFormat.JAVACORE, false, "");
        }
        if (matches(JROCKIT, text)) {
            return new Detection(InputFormat.JROCKIT, false, "");
        }
        if (matches(ANR, text)) {
            return new Detection(InputFormat.ANR, false, "");
        }
        if (matches(DUMP_TO_FILE_TEXT, text) && !matches(HOTSPOT_HEADER, text)) {
            return new Detection(InputFormat.JCMD_TEXT, false, "");
        }
        int hadoop = count(HADOOP_THREAD, text);
        int dropwizard = count(DROPWIZARD_HEADER, text);
        int tid = count(TID_HEADER, text);
        if (matches(TOMCAT_THREAD, text) && count(TOMCAT_THREAD, text) > tid) {
            return new Detection(InputFormat.TOMCAT_THREADDUMP, false, "");
        }
        if (matches(IGNITE_THREAD, text) && count(IGNITE_THREAD, text) > tid) {
            return new Detection(InputFormat.IGNITE_THREADS, false, "");
        }
        if (matches(ARTHAS, text) && count(ARTHAS, text) > tid) {
            return new Detection(InputFormat.ARTHAS, false, "");
        }
        if (hadoop > 0 && hadoop > tid) {
            return new Detection(InputFormat.HADOOP_STACKS, false, "");
        }
        if (dropwizard > 0 && dropwizard > tid) {
            return new Detection(InputFormat.DROPWIZARD_THREADS, false, "");
        }
        int toString = count(THREADINFO_TOSTRING, text);
        if (toString > 0 && toString > tid) {
            return new Detection(InputFormat.THREADINFO, false, "");
        }
        int hotspot = count(HOTSPOT_HEADER, text);
        int visualvm = count(VISUALVM_HEADER, text);
        int threadinfo = count(THREADINFO_HEADER, text);
        int sa = count(SA_THREAD, text);
        int best = Math.max(Math.max(hotspot, visualvm), Math.max(threadinfo, sa));
        if (best > 0 && best != hotspot) {
            if (best == visualvm) {
                return new Detection(matches(ACTUATOR_LOCK, text) ? InputFormat.ACTUATOR_TEXT : InputFormat.VISUALVM_TEXT, false, "");
            }
            if (best == threadinfo) {
                return new Detection(InputFormat.THREADINFO_TEXT, false, "");
            }
            return new Detection(InputFormat.JSTACK_F, false, "");
        }
        if (hotspot > 0 && matches(SA_FRAME, text)) {
            // jhsdb jstack: HotSpot's thread headers over the agent's own frames
            return new Detection(InputFormat.JHSDB, false, "");
        }
        if (hotspot > 0 || matches(FULL_DUMP, text)) {
            return new Detection(InputFormat.JSTACK, false, "");
        }
        if (text.startsWith("Deadlock Detection:") || text.contains("\nDeadlock Detection:")) {
            return new Detection(InputFormat.JSTACK_F, false, "");
        }
        // Text with no marker near its start may still hold dumps further down (a console log):
        // the HotSpot reader scans all of it and says so if it finds none.
        return new Detection(InputFormat.JSTACK, false, "text");
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
