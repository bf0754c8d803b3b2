package io.lockscope.analyzer.input;

import io.lockscope.engine.Words;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A text with runs of NUL bytes in it, read as the text around them. A log truncated while its
 * writer kept its offset (logrotate's {@code copytruncate}, the usual rotation of a Tomcat's
 * catalina.out, where SIGQUIT dumps go) starts with as many NULs as the log had; a crash leaves
 * blocks of NULs where the file system had allotted space and not yet written it. No text format
 * holds a NUL (JSON escapes it), so they are passed over, counted, and the input's message says
 * where the first one was.
 */
final class NulRuns extends FilterInputStream {

    /** A run this long in a head that looks binary may hide a text: detection looks at what is between the runs. */
    static final int MIN_RUN = 16;

    private final long limit;
    private final byte[] one = new byte[1];
    private long position;
    private long dropped;
    private long runs;
    private long first = -1;
    private boolean inRun;

    /** {@code in} without its NULs, ending early once more than {@code limit} of them were passed over. */
    NulRuns(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** {@code in} without its NULs. */
    NulRuns(InputStream in) {
        this(in, Long.MAX_VALUE);
    }

    @Override
    public int read() throws IOException {
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (dropped <= limit) {
            int n = in.read(b, off, len);
            if (n <= 0) {
                return n;
            }
            int kept = off;
            for (int i = off; i < off + n; i++) {
                if (b[i] != 0) {
                    b[kept++] = b[i];
                    inRun = false;
                } else {
                    if (!inRun) {
                        runs++;
                        inRun = true;
                        if (first < 0) {
                            first = position + (i - off);
                        }
                    }
                    dropped++;
                }
            }
            position += n;
            if (kept > off) {
                return kept - off;
            }
        }
        return -1;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        for (int r; skipped < n && (r = read(buf, 0, (int) Math.min(buf.length, n - skipped))) > 0; ) {
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** How many NULs were passed over. */
    long dropped() {
        return dropped;
    }

    /** What the input's message says of the NULs passed over, {@code where} naming the text (a file's bytes or a layer's); empty if none. */
    String note(String where) {
        if (dropped == 0) {
            return "";
        }
        return Words.count(dropped, "NUL byte") + " passed over" + (runs > 1 ? " in " + runs + " runs" : "")
                + ", the first at byte " + first + where
                + " (a log truncated under its writer, as logrotate's copytruncate leaves it, or blocks a crash left unwritten)";
    }

    /** The first bytes of a text that are not NUL, and how many NULs were passed over before them. */
    record Head(byte[] text, long nuls) {
        /** What detection says of a text with no bytes but NULs, as far as it looked ({@code limit} NULs). */
        String noText(long limit) {
            return (nuls > limit ? "over " + (limit >> 20) + " MB of NUL bytes" : Words.count(nuls, "NUL byte"))
                    + " and no text (a log truncated under its writer, or blocks a crash left unwritten)";
        }
    }

    /** The first {@code n} bytes of {@code in} that are not NUL, passing over at most {@code limit} NULs; closes {@code in}. */
    static Head head(InputStream in, int n, long limit) throws IOException {
        try (NulRuns r = new NulRuns(in, limit)) {
            byte[] text = r.readNBytes(n);
            return new Head(text, r.dropped());
        }
    }

    /** Whether {@code head} has a run of at least {@link #MIN_RUN} NULs. */
    static boolean within(byte[] head) {
        int run = 0;
        for (byte x : head) {
            run = x == 0 ? run + 1 : 0;
            if (run >= MIN_RUN) {
                return true;
            }
        }
        return false;
    }

    /** {@code head} without its NULs. */
    static byte[] drop(byte[] head) {
        byte[] kept = new byte[head.length];
        int n = 0;
        for (byte x : head) {
            if (x != 0) {
                kept[n++] = x;
            }
        }
        return Arrays.copyOf(kept, n);
    }
}
