package io.lockscope.analyzer.jfr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The chunk headers of a recording of format 1.0 or 2.x, walked before any parser sees the file:
 * how many chunks are whole, where the first damage is, and why. A parser is only ever given whole
 * chunks. That matters twice: the JDK's parser takes a chunk whose header says it has no size for
 * one still being written and waits for it to grow, for ever; and a chunk's event layouts and
 * constant pools are at its end, so a chunk cut short yields no event at all, which must be said
 * rather than reported as a recording with nothing in it.
 *
 * <p>The header (HotSpot's jfr/recorder/repository/jfrChunk.cpp): "FLR\0", major and minor (two
 * bytes each), then as 8-byte numbers the chunk's size, the offsets of its last constant pool and
 * of its metadata, its start time, duration, start ticks and ticks per second, then a file state
 * byte (0 when the chunk is finished) and a flags byte; 68 bytes in all.
 *
 * @param wholeChunks how many chunks from the start are whole
 * @param wholeBytes  where the last whole chunk ends
 * @param size        the file's size
 * @param problem     what is wrong at {@code wholeBytes}; empty when the whole file is whole chunks
 */
record JfrChunkChain(int wholeChunks, long wholeBytes, long size, String problem) {

    static final int HEADER_SIZE = JfrChunkDecoder.HEADER_SIZE;
    /** The header's file state: 0 once the chunk is finished; the JVM writes 255 while it updates the header. */
    static final int FILE_STATE = 64;

    boolean whole() {
        return problem.isEmpty();
    }

    /** What is wrong and how much is whole, for a message: "...; 1 whole chunk (105,955 of 200,000 bytes, 52%)". */
    String damage() {
        return problem + "; " + (wholeChunks == 0 ? "no chunk is whole"
                : wholeChunks + (wholeChunks == 1 ? " whole chunk" : " whole chunks") + String.format(" (%,d of %,d bytes, %d%%)",
                        wholeBytes, size, size == 0 ? 0 : wholeBytes * 100 / size));
    }

    static JfrChunkChain scan(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(HEADER_SIZE);
            long at = 0;
            int chunks = 0;
            int major = -1;
            while (at < size) {
                head.clear();
                long position = at;
                while (head.hasRemaining()) {
                    int n = ch.read(head, position);
                    if (n < 0) {
                        break;
                    }
                    position += n;
                }
                if (head.hasRemaining()) {
                    return new JfrChunkChain(chunks, at, size, String.format("cut short inside the header of chunk %d at byte %,d", chunks + 1, at));
                }
                head.flip();
                if (head.get(0) != 'F' || head.get(1) != 'L' || head.get(2) != 'R' || head.get(3) != 0) {
                    return new JfrChunkChain(chunks, at, size, String.format("no chunk header at byte %,d (bytes %s)",
                            at, hex(head)));
                }
                int thisMajor = head.getShort(4);
                if (major >= 0 && thisMajor != major) {
                    return new JfrChunkChain(chunks, at, size, String.format("chunk %d at byte %,d says format %d, the first said %d",
                            chunks + 1, at, thisMajor, major));
                }
                major = thisMajor;
                long chunkSize = head.getLong(8);
                long pools = head.getLong(16);
                long metadata = head.getLong(24);
                String bad = null;
                if (chunkSize == 0) {
                    bad = "has size 0 in its header (a chunk still being written, or a damaged header)";
                } else if (chunkSize < HEADER_SIZE) {
                    bad = String.format("has size %,d in its header, less than the header itself", chunkSize);
                } else if (chunkSize > size - at) {
                    bad = String.format("says it has %,d bytes, but the file ends %,d bytes after its start (cut short)", chunkSize, size - at);
                } else if (pools < HEADER_SIZE || pools >= chunkSize) {
                    bad = String.format("puts its constant pools at byte %,d of its %,d", pools, chunkSize);
                } else if (metadata < HEADER_SIZE || metadata >= chunkSize) {
                    bad = String.format("puts its metadata at byte %,d of its %,d", metadata, chunkSize);
                } else if (major >= 2 && head.get(FILE_STATE) != 0) {
                    // (format 1.0's header ends before this byte)
                    // the JDK's parser waits for such a chunk to be finished (ChunkHeader.readFileState, awaitFinished)
                    bad = String.format("is marked as still being written (state byte %d)", head.get(FILE_STATE) & 0xff);
                }
                if (bad != null) {
                    return new JfrChunkChain(chunks, at, size, String.format("chunk %d at byte %,d %s", chunks + 1, at, bad));
                }
                chunks++;
                at += chunkSize;
            }
            return new JfrChunkChain(chunks, at, size, "");
        }
    }

    private static String hex(ByteBuffer b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", b.get(i) & 0xff));
        }
        return sb.toString();
    }
}
