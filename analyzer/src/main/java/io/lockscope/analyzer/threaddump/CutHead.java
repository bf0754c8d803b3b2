package io.lockscope.analyzer.threaddump;

/**
 * A text that begins inside a HotSpot dump: lines of a stack (frames, lock lines, a thread's
 * state) right before the first thread header, with no "Full thread dump" line. A log rotated in
 * the middle of a dump, {@code tail} of a console, a paste that missed the top: the threads before
 * the cut are missing, so a lock whose owner the dump does not list may be held by one of them.
 * Lines of a stack after other text (an exception's trace in a log) do not count: anything else
 * between them and the header ends the run.
 */
final class CutHead {

    private long run;
    private long first;

    /** A line of a stack outside any dump. */
    void stackLine(long n) {
        if (run == 0) {
            run = n;
        }
    }

    /**
     * A line outside a dump that is none of a stack's frames or lock lines: ThreadInfo's count of
     * locked synchronizers and its "..." go on a run of a stack's lines; anything else ends it.
     */
    void line(String line, long n) {
        if (line.startsWith("Number of locked synchronizers") || line.equals("...")) {
            stackLine(n);
        } else {
            otherLine();
        }
    }

    /** Any other line outside a dump, or a dump's banner. */
    void otherLine() {
        run = 0;
    }

    /** A dump begins at a thread header: whether lines of a stack came right before it. */
    boolean beginsInside() {
        boolean inside = run > 0;
        if (inside && first == 0) {
            first = run;
        }
        run = 0;
        return inside;
    }

    /** The first line of the stack lines before the first dump that began inside; 0 if none did. */
    long first() {
        return first;
    }
}
