package io.lockscope.analyzer.input;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream made a chunk at a time by a subclass: text turned from one form into another as
 * it is read ({@link ByteOrderMark}'s UTF-16, {@link DockerJsonLog}'s entries).
 */
abstract class ChunkedStream extends InputStream {

    private byte[] chunk = new byte[0];
    private int pos;

    /** What a layer that {@code open} puts over a stream makes of a file's first bytes, as far as they go: what detection looks at. */
    static byte[] through(byte[] head, java.util.function.UnaryOperator<InputStream> open) {
        try (InputStream in = open.apply(new java.io.ByteArrayInputStream(head))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The next bytes, possibly none; null at the end. */
    protected abstract byte[] next() throws IOException;

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos >= chunk.length) {
            byte[] more = next();
            if (more == null) {
                return -1;
            }
            chunk = more;
            pos = 0;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }
}
