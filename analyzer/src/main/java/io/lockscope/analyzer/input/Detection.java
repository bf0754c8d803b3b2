package io.lockscope.analyzer.input;

/** A file's format as its content shows it, and whether it is gzip-compressed. */
public record Detection(InputFormat format, boolean gzip, String note) {
}
