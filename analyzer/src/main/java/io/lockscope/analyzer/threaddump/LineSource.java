package io.lockscope.analyzer.threaddump;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Lines of a text file, read as bytes so that any encoding survives: ASCII lines take a fast
 * path, lines that are valid UTF-8 are decoded as such, and other lines (console logs in
 * Shift_JIS, EUC-KR dates from HP-UX) are decoded with a legacy charset chosen from the first
 * such line. LF, CRLF and CR line ends are accepted.
 */
final class LineSource implements Closeable {

    /** Tried in order for lines that are not UTF-8; the first that decodes the line strictly wins. */
    private static final String[] LEGACY_CHARSETS = {"windows-31j", "EUC-JP", "EUC-KR", "GB18030"};
    private static final int MAX_LINE = 1 << 20;

    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private long lineNumber;
    private long bytesConsumed;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private Charset legacy;
    private long legacyLines;
    private long truncatedLines;
    private boolean endedMidLine;

    LineSource(InputStream in) {
        this.in = in;
    }

    /** The next line without its line end, or null at the end of the input. */
    String next() throws IOException {
        while (true) {
            for (int i = pos; i < limit; i++) {
                byte b = buf[i];
                if (b == '\n' || b == '\r') {
                    String line = decode(pos, i - pos);
                    int end = i + 1;
                    if (b == '\r') {
                        if (end >= limit && !eof) {
                            // keep the CR so that a CRLF split across reads is one line end
                            int rel = i - pos;
                            fill();
                            i = pos + rel;
                            end = i + 1;
                        }
                        if (end < limit && buf[end] == '\n') {
                            end++;
                        }
                    }
                    bytesConsumed += end - pos;
                    pos = end;
                    lineNumber++;
                    return line;
                }
            }
            if (eof) {
                if (pos < limit) {
                    endedMidLine = true;
                    String line = decode(pos, limit - pos);
                    bytesConsumed += limit - pos;
                    pos = limit;
                    lineNumber++;
                    return line;
                }
                return null;
            }
            if (limit - pos >= MAX_LINE) {
                // A pathological line: keep its start, drop the rest of it.
                String line = decode(pos, MAX_LINE);
                truncatedLines++;
                bytesConsumed += limit - pos;
                pos = limit;
                skipRestOfLine();
                lineNumber++;
                return line;
            }
            fill();
        }
    }

    private void skipRestOfLine() throws IOException {
        while (true) {
            if (pos >= limit) {
                if (eof) {
                    return;
                }
                fill();
                continue;
            }
            byte b = buf[pos++];
            bytesConsumed++;
            if (b == '\n') {
                return;
            }
        }
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            byte[] bigger = new byte[buf.length * 2];
            System.arraycopy(buf, 0, bigger, 0, limit);
            buf = bigger;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    private String decode(int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (buf[i] < 0) {
                return decodeNonAscii(off, len);
            }
        }
        return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }

    private String decodeNonAscii(int off, int len) {
        try {
            return utf8.reset().decode(ByteBuffer.wrap(buf, off, len)).toString();
        } catch (CharacterCodingException notUtf8) {
            legacyLines++;
            if (legacy == null) {
                legacy = chooseLegacy(off, len);
            }
            return new String(buf, off, len, legacy);
        }
    }

    /**
     * Strict decoding alone cannot tell EUC-KR from EUC-JP (their byte ranges overlap), so each
     * charset that decodes the line is scored by the characters of its own script it yields:
     * kana for the Japanese ones, Hangul for Korean, ideographs (weighed less) for GB18030.
     */
    private Charset chooseLegacy(int off, int len) {
        Charset best = StandardCharsets.ISO_8859_1;
        double bestScore = 0;
        for (String name : LEGACY_CHARSETS) {
            if (!Charset.isSupported(name)) {
                continue;
            }
            CharsetDecoder d = Charset.forName(name).newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            try {
                CharBuffer decoded = d.decode(ByteBuffer.wrap(buf, off, len));
                double score = scriptScore(name, decoded);
                if (score > bestScore) {
                    best = d.charset();
                    bestScore = score;
                }
            } catch (CharacterCodingException e) {
                // not this one
            }
        }
        return best;
    }

    private static double scriptScore(String charset, CharBuffer text) {
        double score = 0;
        for (int i = 0; i < text.length(); i++) {
            Character.UnicodeScript script = Character.UnicodeScript.of(text.charAt(i));
            switch (charset) {
                case "windows-31j", "EUC-JP" -> score += script == Character.UnicodeScript.HIRAGANA
                        || script == Character.UnicodeScript.KATAKANA ? 1 : script == Character.UnicodeScript.HAN ? 0.3 : 0;
                case "EUC-KR" -> score += script == Character.UnicodeScript.HANGUL ? 1 : 0;
                default -> score += script == Character.UnicodeScript.HAN ? 0.2 : 0;
            }
        }
        return score;
    }

    /** Whether the input's last line had no line end: text cut short, most often. */
    boolean endedMidLine() {
        return endedMidLine;
    }

    /** What a decoder does with each line: its text (not stripped) and its number, from 1. */
    @FunctionalInterface
    interface LineConsumer {
        void line(String raw, long number);
    }

    /** Hands every line to the consumer, to the end of the input. */
    void forEach(LineConsumer consumer) throws IOException {
        String raw;
        while ((raw = next()) != null) {
            consumer.line(raw, lineNumber());
        }
    }

    /**
     * Hands every line to the consumer, then runs {@code atEnd}, also when reading fails part-way (a
     * gzip cut short, a damaged byte): what was read of a dump that broke off is kept.
     */
    void forEach(LineConsumer consumer, Runnable atEnd) throws IOException {
        try {
            forEach(consumer);
        } finally {
            atEnd.run();
        }
    }

    long lineNumber() {
        return lineNumber;
    }

    long bytesConsumed() {
        return bytesConsumed;
    }

    /** How many lines were not UTF-8, and the charset they were decoded with; for the input's message. */
    String encodingNote() {
        if (legacyLines == 0 && truncatedLines == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if (legacyLines > 0) {
            sb.append(legacyLines).append(legacyLines == 1 ? " line" : " lines")
                    .append(" not UTF-8, decoded as ").append(legacy.name());
        }
        if (truncatedLines > 0) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(truncatedLines).append(" over-long lines cut at 1 MiB");
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
