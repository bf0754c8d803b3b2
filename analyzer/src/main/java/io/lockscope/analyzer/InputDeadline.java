package io.lockscope.analyzer;

import java.time.Duration;

/**
 * How long reading one input may take before lockscope gives up on it, keeps what it read, and
 * goes on with the others: a fixed allowance plus a time per byte, so a 20 GB heap dump gets the
 * time it needs while nothing a small file contains can make the run wait.
 *
 * @param fixed       the allowance every input gets
 * @param bytesPerSecond the slowest reading speed still taken for progress; 0 for no per-byte allowance
 */
public record InputDeadline(Duration fixed, long bytesPerSecond) {

    /** Two minutes, plus one second per 4 MB: every reader is many times faster than that. */
    public static final InputDeadline DEFAULT = new InputDeadline(Duration.ofMinutes(2), 4L << 20);

    /** No limit at all, as {@code --input-timeout 0} asks. */
    public static final InputDeadline NONE = new InputDeadline(Duration.ZERO, 0);

    public static InputDeadline seconds(long s) {
        return s <= 0 ? NONE : new InputDeadline(Duration.ofSeconds(s), 0);
    }

    public boolean unlimited() {
        return fixed.isZero() && bytesPerSecond == 0;
    }

    /** The time allowed for an input of this many bytes. */
    public Duration forSize(long bytes) {
        return bytesPerSecond <= 0 ? fixed : fixed.plusSeconds(Math.max(0, bytes) / bytesPerSecond);
    }
}
