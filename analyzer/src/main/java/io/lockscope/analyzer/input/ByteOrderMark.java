package io.lockscope.analyzer.input;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Text that starts with a byte-order mark. Windows PowerShell 5 writes a redirect
 * ({@code jstack 4711 > dump.txt}) as UTF-16LE with one, and Notepad may save UTF-8 with one.
 * The readers take UTF-8 (or a legacy charset, line by line): UTF-16 is turned into UTF-8 as it
 * is read, and a UTF-8 mark is passed over, so that the first line is the file's first line.
 */
final class ByteOrderMark {

    private static final byte[] UTF8 = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private ByteOrderMark() {
    }

    /** The UTF-16 charset whose mark the bytes start with, if they do. */
    static Optional<Charset> utf16(byte[] head) {
        if (head.length >= 2 && head[0] == (byte) 0xFF && head[1] == (byte) 0xFE) {
            return Optional.of(StandardCharsets.UTF_16LE);
        }
        if (head.length >= 2 && head[0] == (byte) 0xFE && head[1] == (byte) 0xFF) {
            return Optional.of(StandardCharsets.UTF_16BE);
        }
        return Optional.empty();
    }

    /** The layer whose mark the bytes start with, if they do. */
    static Optional<Detection.TextLayer> layer(byte[] head) {
        Optional<Charset> utf16 = utf16(head);
        if (utf16.isPresent()) {
            return Optional.of(utf16.get() == StandardCharsets.UTF_16LE ? Detection.TextLayer.UTF16LE : Detection.TextLayer.UTF16BE);
        }
        return startsWithUtf8Mark(head) ? Optional.of(Detection.TextLayer.UTF8_MARK) : Optional.empty();
    }

    /** The first bytes of a file as the readers will see them: UTF-8, without a mark. */
    static byte[] head(byte[] head) {
        Optional<Charset> utf16 = utf16(head);
        if (utf16.isPresent()) {
            // an odd last byte is half a character, cut by the head's length
            return new String(head, 2, (head.length - 2) & ~1, utf16.get()).getBytes(StandardCharsets.UTF_8);
        }
        if (startsWithUtf8Mark(head)) {
            return Arrays.copyOfRange(head, UTF8.length, head.length);
        }
        return head;
    }

    /** The text of {@code in}, which starts with the mark of {@code layer}, as UTF-8 without the mark. */
    static InputStream open(InputStream in, Detection.TextLayer layer) throws IOException {
        return switch (layer) {
            case UTF16LE, UTF16BE -> {
                in.skipNBytes(2);
                // the reader decodes on while its stream says more is available, and over a gzip stream cut
                // short the damage takes what that read had decoded with it: it is told nothing is
                InputStream oneReadAtATime = new FilterInputStream(in) {
                    @Override
                    public int available() {
                        return 0;
                    }
                };
                yield new Utf8Of(new InputStreamReader(oneReadAtATime,
                        layer == Detection.TextLayer.UTF16LE ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE));
            }
            case UTF8_MARK -> {
                in.skipNBytes(UTF8.length);
                yield in;
            }
            default -> throw new IllegalArgumentException("no byte-order mark: " + layer);
        };
    }

    private static boolean startsWithUtf8Mark(byte[] head) {
        return head.length >= UTF8.length && Arrays.equals(head, 0, UTF8.length, UTF8, 0, UTF8.length);
    }

    /** The UTF-8 bytes of a reader's characters; a surrogate pair split between two reads is kept whole. */
    private static final class Utf8Of extends ChunkedStream {
        private final Reader reader;
        private final char[] chars = new char[8192];
        private int carried;
        private boolean eof;

        Utf8Of(Reader reader) {
            this.reader = reader;
        }

        @Override
        protected byte[] next() throws IOException {
            if (eof) {
                return null;
            }
            int n = reader.read(chars, carried, chars.length - carried);
            int have = carried + Math.max(n, 0);
            eof = n < 0;
            int use = have;
            if (!eof && use > 0 && Character.isHighSurrogate(chars[use - 1])) {
                use--; // its low half comes with the next read
            }
            byte[] bytes = new String(chars, 0, use).getBytes(StandardCharsets.UTF_8);
            carried = have - use;
            System.arraycopy(chars, use, chars, 0, carried);
            return bytes;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
