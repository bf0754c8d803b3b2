package io.lockscope.model;

/**
 * Where a fact was read: a file and a line in it (text formats) or a byte offset (binary formats).
 * A position of 0 means "the file as a whole".
 */
public record SourceRef(String file, long position, Unit unit) {

    public enum Unit { LINE, BYTE }

    public static SourceRef line(String file, long line) {
        return new SourceRef(file, line, Unit.LINE);
    }

    public static SourceRef offset(String file, long offset) {
        return new SourceRef(file, offset, Unit.BYTE);
    }

    public static SourceRef file(String file) {
        return new SourceRef(file, 0, Unit.LINE);
    }

    @Override
    public String toString() {
        if (position <= 0) {
            return file;
        }
        return unit == Unit.LINE ? file + ":" + position : file + "@" + position;
    }
}
