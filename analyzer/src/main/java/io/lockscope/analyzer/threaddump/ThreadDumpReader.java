package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads thread dumps: HotSpot text (any number of dumps per file, with the Serviceability Agent's
 * and Spring Boot actuator's variants), JDK 21+ JSON and Spring Boot actuator's JSON.
 */
public final class ThreadDumpReader {

    private ThreadDumpReader() {
    }

    /**
     * What reading a text file came to.
     *
     * @param bytes how far the reader got, for "read N% of it" when the input broke off
     * @param note  encoding remarks, empty if none
     */
    public record TextResult(int snapshots, long lines, long bytes, String note) {
    }

    /** Reads every HotSpot dump in the text, handing each to the sink as soon as it is complete. */
    public static TextResult readText(InputStream in, String name, SnapshotSink sink) throws IOException {
        LineSource lines = new LineSource(in);
        HotSpotTextDecoder decoder = new HotSpotTextDecoder(name, sink);
        int n;
        try {
            n = decoder.decode(lines);
        } catch (IOException e) {
            throw new PartialReadException(e, lines.lineNumber(), lines.bytesConsumed());
        }
        return new TextResult(n, lines.lineNumber(), lines.bytesConsumed(), lines.encodingNote());
    }

    /** Reads a JSON thread dump: one snapshot. */
    public static Snapshot readJson(InputStream in, String name) throws IOException {
        return new JsonThreadDumpDecoder(name).decode(in);
    }

    /** Reads Spring Boot actuator's JSON thread dump: one snapshot. */
    public static Snapshot readActuatorJson(InputStream in, String name) throws IOException {
        return new ActuatorJsonDecoder(name).decode(in);
    }

    /** The input broke off (I/O error, truncated gzip); what was read before stays read. */
    public static final class PartialReadException extends IOException {
        private final long line;
        private final long bytes;

        PartialReadException(IOException cause, long line, long bytes) {
            super(cause.getMessage(), cause);
            this.line = line;
            this.bytes = bytes;
        }

        public long line() {
            return line;
        }

        public long bytes() {
            return bytes;
        }
    }
}
