package io.lockscope.analyzer.input;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What the JDK's {@code jfr print --json} writes of a recording ({@code {"recording": {"events": [{"type":
 * "jdk.ThreadDump", "values": {"startTime": ..., "result": "2026-12-07 19:34:06\nFull thread dump ..."}}, ...]}}}):
 * the thread dumps the recording took are the "result" strings of its jdk.ThreadDump events, each
 * HotSpot's own text. They are read back as that text, one after the other, decoded as they are
 * read, never held whole; every other event is passed over.
 */
final class JfrPrintJson {

    /** How {@code jfr print --json} begins. */
    private static final Pattern START = Pattern.compile("\\A\\s*\\{\\s*\"recording\"\\s*:\\s*\\{\\s*\"events\"\\s*:\\s*\\[");
    private static final String THREAD_DUMP = "jdk.ThreadDump";

    private JfrPrintJson() {
    }

    /** Whether the text starts as {@code jfr print --json} writes a recording. */
    static boolean is(byte[] head) {
        return START.matcher(new String(head, 0, Math.min(head.length, 4096), StandardCharsets.ISO_8859_1)).find();
    }

    /** The thread dumps' text as far as the head holds it. */
    static byte[] head(byte[] head) {
        return ChunkedStream.through(head, JfrPrintJson::open);
    }

    /** The text of the recording's thread dumps, one after the other, as it is read. */
    static InputStream open(InputStream in) {
        return new Dumps(in);
    }

    /** Reads on from string to string: a key "type" names the event, a key "result" of a jdk.ThreadDump is its dump. */
    private static final class Dumps extends ChunkedStream {
        private final InputStream in;
        /** The last event type named, and whether the dump being streamed has more to come. */
        private String type = "";
        private boolean inResult;
        private boolean done;

        Dumps(InputStream raw) {
            this.in = new BufferedInputStream(raw, 1 << 16);
        }

        @Override
        protected byte[] next() throws IOException {
            if (done) {
                return null;
            }
            if (!inResult && !seekResult()) {
                done = true;
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            JsonStrings.End end = JsonStrings.decode(in::read, out, 1 << 16);
            if (end != JsonStrings.End.LIMIT) {
                inResult = false;
                out.write('\n'); // the next dump starts on a line of its own
                done = end == JsonStrings.End.INPUT;
            }
            return out.toByteArray();
        }

        /** Reads on to the start of a jdk.ThreadDump's "result" string; false if the input ends first. */
        private boolean seekResult() throws IOException {
            int c;
            while ((c = in.read()) >= 0) {
                if (c != '"') {
                    continue;
                }
                String key = JsonStrings.skip(in::read, 32);
                if (!colonFollows()) {
                    continue; // a value, not a key
                }
                int v = firstAfterSpace();
                if (v != '"') {
                    continue;
                }
                if (key.equals("type")) {
                    type = JsonStrings.skip(in::read, 32);
                } else if (key.equals("result") && type.equals(THREAD_DUMP)) {
                    inResult = true;
                    return true;
                } else {
                    JsonStrings.skip(in::read, 0);
                }
            }
            return false;
        }

        private boolean colonFollows() throws IOException {
            in.mark(1 << 12);
            int c = firstAfterSpace();
            if (c == ':') {
                return true;
            }
            in.reset();
            return false;
        }

        private int firstAfterSpace() throws IOException {
            int c;
            while ((c = in.read()) >= 0 && Character.isWhitespace(c)) {
                // on
            }
            return c;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
