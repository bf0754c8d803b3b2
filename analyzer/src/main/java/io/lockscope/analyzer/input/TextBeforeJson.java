package io.lockscope.analyzer.input;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A few lines of text before a JSON document, which the tools around a dump put there when their
 * messages and the dump go to one file: kubectl's {@code Defaulted container "app" out of: ...},
 * the JVM's {@code Picked up JAVA_TOOL_OPTIONS: ...}, a shell's prompt and command. They are
 * passed over, up to the first line that begins a JSON object or array. Only a few short lines
 * are: a text with more before its first brace is no JSON document, but a log.
 */
final class TextBeforeJson {

    /** How many lines may stand before the document. */
    private static final int MAX_LINES = 8;
    /** How long each may be. */
    private static final int MAX_LINE = 1024;
    /** How far into the stream the document may begin. */
    private static final int MAX_BYTES = MAX_LINES * (MAX_LINE + 1);

    private TextBeforeJson() {
    }

    /**
     * Where, after up to {@link #MAX_LINES} short lines of text, a line begins that opens a JSON
     * object or array ({@code {}, or {@code [} before {@code {} or {@code ]}): 0 if the text
     * begins with one, -1 if it has none there.
     */
    static int documentAt(byte[] head) {
        int start = 0;
        for (int line = 0; line <= MAX_LINES && start < head.length; line++) {
            int end = start;
            while (end < head.length && head[end] != '\n') {
                end++;
            }
            if (opensJson(head, start, end)) {
                return start;
            }
            if (end - start > MAX_LINE || end == head.length) {
                return -1;
            }
            start = end + 1;
        }
        return -1;
    }

    private static boolean opensJson(byte[] b, int from, int to) {
        int i = skipBlanks(b, from, to);
        if (i < to && b[i] == '{') {
            return true;
        }
        if (i >= to || b[i] != '[') {
            return false;
        }
        int j = skipBlanks(b, i + 1, to);
        return j >= to || b[j] == '{' || b[j] == ']';
    }

    private static int skipBlanks(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** The stream from the line that begins the document on; as it is if {@link #documentAt} finds none. */
    static InputStream open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(MAX_BYTES + 65);
        int at = documentAt(in.readNBytes(MAX_BYTES + 64));
        in.reset();
        if (at > 0) {
            in.skipNBytes(at);
        }
        return in;
    }
}
