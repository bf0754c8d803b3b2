package io.lockscope.analyzer.input;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The text of a JSON string, its escapes undone, read a byte at a time after its opening quote:
 * Jolokia's "value" as it streams in, the "log" field of a Docker entry too damaged for a JSON
 * parser. Lenient, since both may be cut or garbled: a byte that JSON would have escaped is kept as
 * it is, a broken escape is left out, an unpaired half of a surrogate pair becomes U+FFFD.
 */
final class JsonStrings {

    /** The next byte, or -1 at the end of the input. */
    interface Bytes {
        int read() throws IOException;
    }

    /** Where decoding stopped: at the string's closing quote, at the input's end, or at the limit of bytes asked for. */
    enum End { QUOTE, INPUT, LIMIT }

    private JsonStrings() {
    }

    /** Decodes into {@code out} until the closing quote, the input's end, or {@code out} holding {@code limit} bytes. */
    static End decode(Bytes in, ByteArrayOutputStream out, int limit) throws IOException {
        while (out.size() < limit) {
            int c = in.read();
            if (c < 0) {
                return End.INPUT;
            }
            if (c == '"') {
                return End.QUOTE;
            }
            if (c != '\\') {
                out.write(c);
                continue;
            }
            int e = in.read();
            switch (e) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'u' -> unicode(in, out);
                case -1 -> {
                    return End.INPUT;
                }
                default -> out.write(e); // \" \\ \/
            }
        }
        return End.LIMIT;
    }

    /**
     * Reads on past a string's closing quote without decoding it; its first {@code keep} characters
     * (an escape as the character after its backslash), to tell a key or a short value.
     */
    static String skip(Bytes in, int keep) throws IOException {
        StringBuilder start = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '"') {
            if (c == '\\') {
                c = in.read();
            }
            if (start.length() < keep) {
                start.append((char) c);
            }
        }
        return start.toString();
    }

    /** "\\uXXXX", a UTF-16 unit, and the low half of a pair after it: as UTF-8. */
    private static void unicode(Bytes in, ByteArrayOutputStream out) throws IOException {
        int unit = hex4(in);
        if (unit < 0) {
            return;
        }
        if (Character.isHighSurrogate((char) unit)) {
            int backslash = in.read();
            int u = backslash == '\\' ? in.read() : -1;
            int low = u == 'u' ? hex4(in) : -1;
            if (low >= 0 && Character.isLowSurrogate((char) low)) {
                out.writeBytes(new String(new char[] {(char) unit, (char) low}).getBytes(StandardCharsets.UTF_8));
                return;
            }
            out.writeBytes("\ufffd".getBytes(StandardCharsets.UTF_8));
            return;
        }
        out.writeBytes(String.valueOf((char) unit).getBytes(StandardCharsets.UTF_8));
    }

    private static int hex4(Bytes in) throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(in.read(), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
