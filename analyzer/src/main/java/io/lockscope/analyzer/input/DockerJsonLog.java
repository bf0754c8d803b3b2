package io.lockscope.analyzer.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's json-file log, where a container's output is kept on its host
 * ({@code /var/lib/docker/containers/ID/ID-json.log}): a JSON object a line,
 * {@code {"log":"text\n","stream":"stdout","time":"..."}}, a line of output longer than 16 KiB
 * split over several. The thread dump kill -3 makes a JVM print is in the "log" fields, which
 * are read back as the text they were; a line that is no such object is kept as it is.
 */
final class DockerJsonLog {

    private static final Pattern FIRST_LINE = Pattern.compile(
            "^\\{\\s*\"log\"\\s*:\\s*\".*\"stream\"\\s*:\\s*\"");
    private static final JsonFactory JSON = new JsonFactory();
    /** How an entry begins, up to the "log" field's opening quote. */
    private static final Pattern LOG_FIELD = Pattern.compile("\\{\\s*\"log\"\\s*:\\s*\"");
    /** A line longer than this is no Docker entry (those hold 16 KiB of output, escaped): kept as it is, in pieces. */
    private static final int MAX_LINE = 1 << 20;

    private DockerJsonLog() {
    }

    /**
     * Whether the text starts as a json-file log does (written by Docker without spaces, by others
     * with some): its first line starts as an entry, and it or a line after it in the head is one whose
     * "log" field can be read (a damaged line is kept as it is, and must not hide the rest); a first
     * line too long for the head is taken at its word.
     */
    static boolean is(byte[] head) {
        String first = new String(head, 0, Math.min(head.length, 4096), StandardCharsets.UTF_8);
        int end = first.indexOf('\n');
        if (!FIRST_LINE.matcher(end < 0 ? first : first.substring(0, end)).find()) {
            return false;
        }
        int from = 0;
        for (int i = 0; i < head.length; i++) {
            if (head[i] == '\n') {
                if (entry(head, from, i - from, new ByteArrayOutputStream())) {
                    return true;
                }
                from = i + 1;
            }
        }
        return from == 0;
    }

    /** The output the first lines hold; the last line, if the head cut it, left out. */
    static byte[] head(byte[] head) {
        int end = head.length;
        while (end > 0 && head[end - 1] != '\n') {
            end--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int i = 0; i < end; i++) {
            if (head[i] == '\n') {
                entry(head, from, i - from, out);
                from = i + 1;
            }
        }
        return out.toByteArray();
    }

    /** The output that {@code in}'s lines hold, as it is read. */
    static InputStream open(InputStream in) {
        return new Output(in);
    }

    /**
     * Appends what one line says was printed: its "log" field; of an entry damaged past being JSON
     * (a byte the disk garbled, a line cut), as much of that field as is there; or the line itself if it
     * is no entry. Whether it was one.
     */
    private static boolean entry(byte[] line, int from, int length, ByteArrayOutputStream out) {
        if (length > 0 && line[from + length - 1] == '\r') {
            length--;
        }
        try (JsonParser p = JSON.createParser(line, from, length)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (name.equals("log") && p.currentToken() == JsonToken.VALUE_STRING) {
                        out.writeBytes(p.getText().getBytes(StandardCharsets.UTF_8));
                        return true;
                    }
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // not JSON, or cut
        }
        Matcher damaged = LOG_FIELD.matcher(new String(line, from, Math.min(length, 64), StandardCharsets.ISO_8859_1));
        if (damaged.lookingAt()) {
            logField(line, from + damaged.end(), from + length, out);
            return true;
        }
        out.write(line, from, length);
        out.write('\n');
        return false;
    }

    /** The "log" field's string from {@code at} on, its escapes undone, up to its closing quote or the line's end. */
    private static void logField(byte[] line, int at, int end, ByteArrayOutputStream out) {
        int[] next = {at};
        try {
            if (JsonStrings.decode(() -> next[0] < end ? line[next[0]++] & 0xff : -1, out, Integer.MAX_VALUE) != JsonStrings.End.QUOTE) {
                out.write('\n'); // cut before its closing quote: what it held is one line of output
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an array is read without any
        }
    }

    /** The entries' output, a line of the log at a time. */
    private static final class Output extends ChunkedStream {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        private byte[] line = new byte[4096];
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean eof;

        Output(InputStream in) {
            this.in = in;
        }

        /** What the next line of the log holds; null at the end. */
        @Override
        protected byte[] next() throws IOException {
            int n = 0;
            while (true) {
                if (pos >= limit) {
                    if (eof) {
                        break;
                    }
                    limit = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        eof = true;
                        break;
                    }
                }
                byte c = buf[pos++];
                if (c == '\n') {
                    break;
                }
                if (n == line.length) {
                    if (n >= MAX_LINE) {
                        pos--; // the rest of it is the next "line"
                        break;
                    }
                    line = Arrays.copyOf(line, n * 2);
                }
                line[n++] = c;
            }
            if (n == 0 && eof) {
                return null;
            }
            pending.reset();
            entry(line, 0, n, pending);
            return pending.toByteArray();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
