package io.lockscope.analyzer.input;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A stream whose first bytes were read ahead to be looked at, and are read again first. Unlike a
 * BufferedInputStream's mark, it never reads on past what a read asks for: over a gzip stream cut
 * short, the bytes before the damage all reach the reader, which then meets the damage where it is
 * (a BufferedInputStream asks for more while the stream says some is available, and the error
 * takes what it had read in that call with it).
 */
final class PeekedStream extends InputStream {

    private final InputStream in;
    private byte[] head;
    private int pos;

    /** Reads up to {@code n} bytes ahead; as many as there are before the end or the damage. */
    PeekedStream(InputStream in, int n) {
        this.in = in;
        byte[] ahead = new byte[n];
        int got = 0;
        try {
            int r;
            while (got < n && (r = in.read(ahead, got, n - got)) > 0) {
                got += r;
            }
        } catch (IOException e) {
            // what came before the damage is what there is; reading on meets the damage again
        }
        this.head = Arrays.copyOf(ahead, got);
    }

    /** The bytes read ahead that have not been read yet. */
    byte[] head() {
        return Arrays.copyOfRange(head, pos, head.length);
    }

    /** Drops the next {@code n} bytes read ahead (a byte-order mark). */
    void drop(int n) {
        pos = Math.min(head.length, pos + n);
    }

    @Override
    public int read() throws IOException {
        return pos < head.length ? head[pos++] & 0xff : in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos < head.length) {
            int n = Math.min(len, head.length - pos);
            System.arraycopy(head, pos, b, off, n);
            pos += n;
            return n;
        }
        return in.read(b, off, len);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
