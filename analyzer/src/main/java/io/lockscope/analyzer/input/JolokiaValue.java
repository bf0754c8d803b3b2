package io.lockscope.analyzer.input;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Jolokia's JSON response to an operation whose result is text: a thread dump fetched over HTTP
 * from a JVM that runs the Jolokia agent (where jcmd cannot reach it: a container without a JDK,
 * hawtio's console), {@code GET /jolokia/exec/com.sun.management:type=DiagnosticCommand/threadPrint/-l}
 * answers {@code {"request":{...},"value":"2026-12-07 18:28:39\nFull thread dump ...","timestamp":...,"status":200}}.
 * The dump is the "value" string, read back as the text it was, a piece at a time: it is decoded as
 * it is read, never held whole.
 */
final class JolokiaValue {

    /** A response of Jolokia's: its request echoed, and a value that is a string. */
    private static final Pattern RESPONSE = Pattern.compile("\\A\\s*\\{\\s*\"request\"\\s*:\\s*\\{");
    private static final Pattern STRING_VALUE = Pattern.compile("[,{]\\s*\"value\"\\s*:\\s*\"");

    private JolokiaValue() {
    }

    /** Whether the text starts as Jolokia's response with a string value does. */
    static boolean is(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        return RESPONSE.matcher(text).find() && STRING_VALUE.matcher(text).find();
    }

    /** The value's text as far as the head holds it. */
    static byte[] head(byte[] head) {
        return ChunkedStream.through(head, JolokiaValue::open);
    }

    /** The text of the response's top-level "value" string, as it is read; nothing if it has none. */
    static InputStream open(InputStream in) {
        return new Value(in);
    }

    /** Finds the top-level "value" field, then decodes its string, a buffer at a time. */
    private static final class Value extends ChunkedStream {
        private final InputStream in;
        /** Whether the string has been found, and whether it (or the input) has ended. */
        private boolean found;
        private boolean done;

        Value(InputStream raw) {
            this.in = new BufferedInputStream(raw, 1 << 16);
        }

        @Override
        protected byte[] next() throws IOException {
            if (done) {
                return null;
            }
            if (!found) {
                found = seek();
                if (!found) {
                    done = true;
                    return null;
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            // the end of the string, or of the input that broke off inside it
            done = JsonStrings.decode(this::read1, out, 1 << 16) != JsonStrings.End.LIMIT;
            return out.toByteArray();
        }

        /** Reads on to the start of the top-level "value" string; false if the input ends first. */
        private boolean seek() throws IOException {
            int depth = 0;
            String key = "";
            boolean lastWasKey = false;
            int c;
            while ((c = read1()) >= 0) {
                if (c == '"') {
                    key = JsonStrings.skip(this::read1, 16);
                    lastWasKey = true; // at the top level a string before ':' is a key: values are skipped whole
                } else if (c == ':') {
                    if (depth == 1 && lastWasKey && key.equals("value")) {
                        int v;
                        while ((v = read1()) >= 0 && Character.isWhitespace(v)) {
                            // to the value
                        }
                        return v == '"';
                    }
                    lastWasKey = false;
                    key = "";
                    if (depth == 1) {
                        skipValue();
                    }
                } else if (c == '{' || c == '[') {
                    depth++;
                    lastWasKey = false;
                } else if (c == '}' || c == ']') {
                    depth--;
                    lastWasKey = false;
                } else if (c == ',') {
                    lastWasKey = false;
                }
            }
            return false;
        }

        /** Skips a top-level field's value (an object, an array, a string, a number or a word). */
        private void skipValue() throws IOException {
            int depth = 0;
            int c;
            while ((c = read1()) >= 0) {
                if (Character.isWhitespace(c) && depth == 0) {
                    continue;
                }
                if (c == '"') {
                    JsonStrings.skip(this::read1, 0);
                    if (depth == 0) {
                        return;
                    }
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                    if (depth <= 0) {
                        return;
                    }
                } else if (depth == 0 && (c == ',')) {
                    return;
                }
            }
        }

        private int read1() throws IOException {
            return in.read();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
