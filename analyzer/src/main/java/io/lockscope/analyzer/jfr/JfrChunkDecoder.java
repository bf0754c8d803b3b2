package io.lockscope.analyzer.jfr;

import io.lockscope.analyzer.LongMap;
import io.lockscope.model.Frame;
import io.lockscope.model.Recording;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * lockscope's own reader for format 2.x recordings (JDK 11 on): a chunk at a time, reading only
 * the events lockscope uses and, of the constant pools, only the entries those events point to.
 *
 * <p>The JDK's parser decodes every constant of a chunk and makes a RecordedEvent per event before
 * a handler sees it. lockscope needs, from most events, a lock's class and address, the waiter
 * and the owner, and a stack from few. So a chunk is read into memory; its metadata gives each
 * type's fields; the checkpoints are indexed (pool key to byte offset) without decoding; an
 * event's fields are read straight from the bytes; and the two events most recordings are made
 * of (jdk.JavaMonitorEnter, jdk.ThreadPark) are added up per lock by pool keys, named only once
 * per chunk. Threads and times come from each chunk (see {@link #decode}).
 *
 * <p>What it does not take on (uncompressed integers, a first chunk still being written or cut
 * short, a chunk over {@link #MAX_CHUNK} bytes, bytes that do not parse) is an exception, and
 * {@link JfrReader} reads the file with jdk.jfr instead.
 *
 * <p>Layout, as the JDK writes and reads it: chunk header (jfrChunkWriter.cpp, ChunkHeader.java),
 * metadata event (MetadataReader.java), checkpoint events (ChunkParser.fillConstantPools),
 * encodings (RecordingInput.java): integers are LEB128, floats and doubles big-endian, strings
 * tagged by their encoding.
 */
final class JfrChunkDecoder {

    static final int HEADER_SIZE = 68;
    static final int MAX_CHUNK = 256 << 20;
    private static final int FLAGS_POSITION = 67;
    private static final int FLAG_COMPRESSED_INTS = 1;
    /** The file is 2.x but this reader does not read it; jdk.jfr does instead. */
    static class Unsupported extends IOException {
        Unsupported(String message) {
            super(message);
        }
    }

    /** Bytes inside a whole chunk that do not decode: damage, not a format lockscope's parser leaves to others. */
    static final class Damaged extends Unsupported {
        Damaged(String message) {
            super(message);
        }
    }

    private JfrChunkDecoder() {
    }

    /**
     * What was read: whether to the file's end ({@code whole} is false if it ends in a chunk that is
     * cut short or still being written, after whole chunks, which are kept), and what damage inside
     * the chunks' events was passed over.
     */
    record Outcome(boolean whole, Optional<String> damage) {
    }

    /**
     * Reads every chunk into the builder. Damage among a chunk's events is read past (see {@link
     * ChunkEvents#read}); any other trouble is an exception, and the caller starts over with another
     * parser.
     */
    static Outcome decode(Path file, RecordingBuilder sink) throws IOException {
        ChunkDamage damage = new ChunkDamage();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] buffer = new byte[HEADER_SIZE];
            ChunkMetadata.Metadata metadata = null;
            long at = 0;
            while (at + HEADER_SIZE <= size) {
                ByteBuffer head = ByteBuffer.wrap(buffer, 0, HEADER_SIZE);
                readFully(ch, head, at);
                if (buffer[0] != 'F' || buffer[1] != 'L' || buffer[2] != 'R' || buffer[3] != 0) {
                    throw new Unsupported("no chunk header at byte " + at);
                }
                ByteBuffer h = ByteBuffer.wrap(buffer);
                int major = h.getShort(4);
                long chunkSize = h.getLong(8);
                long poolOffset = h.getLong(16);
                long metadataOffset = h.getLong(24);
                if (major != 2 || (buffer[FLAGS_POSITION] & FLAG_COMPRESSED_INTS) == 0) {
                    throw new Unsupported("chunk at byte " + at + ": format " + major + " with flags " + buffer[FLAGS_POSITION]);
                }
                if (chunkSize < HEADER_SIZE || at + chunkSize > size || poolOffset <= 0 || metadataOffset <= 0
                        || poolOffset >= chunkSize || metadataOffset >= chunkSize) {
                    if (at > 0) {
                        // the chunks before are whole and handed on: keep them
                        return new Outcome(false, damage.note());
                    }
                    throw new Unsupported("chunk at byte " + at + " is incomplete (still being written, or cut short)");
                }
                if (chunkSize > MAX_CHUNK) {
                    throw new Unsupported("chunk at byte " + at + " has " + chunkSize + " bytes");
                }
                // Each chunk's header ties its ticks to the wall clock. jdk.jfr converts all chunks with the
                // first one's, which is off by the clock's drift between chunks, and by years when chunks
                // from two runs were put in one file; lockscope, like JMC, uses each chunk's own.
                TimeBase time = new TimeBase(h.getLong(48), h.getLong(32), h.getLong(56));
                if (buffer.length < chunkSize) {
                    buffer = java.util.Arrays.copyOf(buffer, (int) chunkSize);
                }
                readFully(ch, ByteBuffer.wrap(buffer, 0, (int) chunkSize), at);
                ChunkInput in = new ChunkInput(buffer, (int) chunkSize, at);
                metadata = ChunkMetadata.read(in, (int) metadataOffset, metadata);
                ConstantPools pools = new ConstantPools(in, metadata.types());
                pools.index((int) poolOffset, (int) metadataOffset, damage);
                EventFooting footing = new EventFooting(in, metadata.types(), pools.checkpoints(), (int) metadataOffset);
                new ChunkEvents(in, metadata, pools, time, sink).read(damage, footing);
                at += chunkSize;
            }
            return new Outcome(at == size, damage.note());
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long at) throws IOException {
        long position = at;
        while (into.hasRemaining()) {
            int n = ch.read(into, position);
            if (n < 0) {
                throw new Unsupported("file ends inside the chunk at byte " + at);
            }
            position += n;
        }
    }

    /** A chunk's ticks to nanoseconds since the epoch. */
    record TimeBase(long startTicks, long startNanos, double ticksPerNano) {
        TimeBase(long startTicks, long startNanos, long ticksPerSecond) {
            this(startTicks, startNanos, ticksPerSecond / 1_000_000_000.0);
        }

        long nanos(long ticks) {
            // most recordings count ticks in nanoseconds (Linux); skip the division there
            return ticksPerNano == 1.0 ? startNanos + (ticks - startTicks) : startNanos + (long) ((ticks - startTicks) / ticksPerNano);
        }
    }
}
