package io.lockscope.analyzer.heap;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * Big-endian reads over an HPROF file, plain or gzipped, through one large buffer. Skipping
 * within the buffer is arithmetic; skipping past it in a plain file moves the channel's position
 * without reading the bytes.
 */
final class HprofInput implements Closeable {

    private static final int BUFFER = 4 << 20;

    private final ReadableByteChannel channel;
    private final FileChannel file;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
    private long consumedBefore; // bytes of the input before buf's position 0
    private boolean eof;
    /** Why a compressed stream stopped early; null for a clean end. */
    private IOException broken;
    private int idSize = 8;

    private HprofInput(ReadableByteChannel channel, FileChannel file) {
        this.channel = channel;
        this.file = file;
        buf.limit(0);
    }

    static HprofInput open(Path path, boolean gzip) throws IOException {
        if (gzip) {
            InputStream in = new GZIPInputStream(Files.newInputStream(path), 1 << 16);
            return new HprofInput(Channels.newChannel(in), null);
        }
        FileChannel fc = FileChannel.open(path, StandardOpenOption.READ);
        return new HprofInput(fc, fc);
    }

    /** Moves a plain file's reading to {@code position}. */
    void seek(long position) throws IOException {
        if (file == null) {
            throw new IOException("cannot seek in a compressed input");
        }
        buf.clear().limit(0);
        file.position(position);
        consumedBefore = position;
        eof = false;
    }

    /** Reads bytes of a plain file at a position, without moving the reading. */
    int readAt(ByteBuffer into, long position) throws IOException {
        return file.read(into, position);
    }

    /** A plain file, whose size bounds every length in it; a gzip stream's size is not known before its end. */
    boolean plain() {
        return file != null;
    }

    void idSize(int size) {
        this.idSize = size;
    }

    int idSize() {
        return idSize;
    }

    /** Bytes of the (uncompressed) input read or skipped so far. */
    long position() {
        return consumedBefore + buf.position();
    }

    /** Ensures n bytes are in the buffer; false at a clean end of input before any of them. */
    private void need(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        consumedBefore += buf.position();
        buf.compact();
        while (buf.position() < n && !eof) {
            fill();
        }
        // read ahead while it is cheap
        while (buf.hasRemaining() && !eof) {
            if (fill() <= 0) {
                break;
            }
        }
        buf.flip();
        if (buf.remaining() < n) {
            throw ended();
        }
    }

    /**
     * One read into the buffer. A gzip stream that breaks off (cut short, or damaged) keeps the
     * bytes it gave before; the break is reported only when a read needs more than those.
     */
    private int fill() throws IOException {
        try {
            int r = channel.read(buf);
            if (r < 0) {
                eof = true;
            }
            return r;
        } catch (IOException e) {
            broken = e;
            eof = true;
            return -1;
        }
    }

    /** The end of a compressed stream that broke off (cut short or damaged), as against a clean end of input. */
    static final class StreamBroken extends EOFException {
        StreamBroken(String message) {
            super(message);
        }
    }

    private EOFException ended() {
        long at = consumedBefore + buf.limit();
        return broken == null ? new EOFException("input ends at byte " + at)
                : new StreamBroken("the compressed data breaks off after byte " + at + " of the uncompressed data (" + broken.getMessage() + ")");
    }

    /** Whether another byte can be read. */
    boolean more() throws IOException {
        if (buf.hasRemaining()) {
            return true;
        }
        if (eof) {
            if (broken != null) {
                throw ended();
            }
            return false;
        }
        try {
            need(1);
            return true;
        } catch (EOFException e) {
            if (broken != null) {
                throw e;
            }
            return false;
        }
    }

    int u1() throws IOException {
        need(1);
        return buf.get() & 0xff;
    }

    int u2() throws IOException {
        need(2);
        return buf.getShort() & 0xffff;
    }

    int i4() throws IOException {
        need(4);
        return buf.getInt();
    }

    long u4() throws IOException {
        return i4() & 0xffffffffL;
    }

    long i8() throws IOException {
        need(8);
        return buf.getLong();
    }

    long id() throws IOException {
        return idSize == 4 ? u4() : i8();
    }

    byte[] bytes(int n) throws IOException {
        byte[] out = new byte[n];
        readInto(out, n);
        return out;
    }

    /**
     * Makes n bytes readable in place: returns the buffer, whose position is where they start;
     * the caller then skips them. For n larger than half the buffer, returns null.
     */
    ByteBuffer window(int n) throws IOException {
        if (n > BUFFER / 2) {
            return null;
        }
        need(n);
        return buf;
    }

    /** Reads n bytes into dst, which must hold them. */
    void readInto(byte[] dst, int n) throws IOException {
        int done = 0;
        while (done < n) {
            need(Math.min(n - done, BUFFER / 2));
            int chunk = Math.min(n - done, buf.remaining());
            buf.get(dst, done, chunk);
            done += chunk;
        }
    }

    /** A value of a basic type, widened to a long: ids, ints, longs, booleans. */
    long value(int type) throws IOException {
        return switch (type) {
            case Hprof.T_OBJECT -> id();
            case Hprof.T_BOOLEAN, Hprof.T_BYTE -> u1();
            case Hprof.T_CHAR, Hprof.T_SHORT -> u2();
            case Hprof.T_FLOAT, Hprof.T_INT -> i4();
            case Hprof.T_DOUBLE, Hprof.T_LONG -> i8();
            default -> throw new IOException("unknown basic type " + type + " at byte " + position());
        };
    }

    void skip(long n) throws IOException {
        if (n < 0) {
            throw new HprofDecoder.Damage(String.format("a length of %,d at byte %,d", n, position()));
        }
        if (n <= buf.remaining()) {
            buf.position(buf.position() + (int) n);
            return;
        }
        long rest = n - buf.remaining();
        consumedBefore += buf.limit();
        buf.clear().limit(0);
        if (file != null) {
            long target = consumedBefore + rest;
            if (target > file.size()) {
                consumedBefore = file.size();
                eof = true;
                throw new EOFException("input ends at byte " + file.size());
            }
            file.position(target);
            consumedBefore = target;
            return;
        }
        ByteBuffer scratch = buf;
        while (rest > 0) {
            scratch.clear();
            scratch.limit((int) Math.min(scratch.capacity(), rest));
            int r;
            try {
                r = channel.read(scratch);
            } catch (IOException e) {
                broken = e;
                r = -1;
            }
            if (r < 0) {
                eof = true;
                scratch.clear().limit(0);
                throw broken != null ? ended() : new EOFException("input ends at byte " + consumedBefore);
            }
            consumedBefore += r;
            rest -= r;
        }
        scratch.clear().limit(0);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
