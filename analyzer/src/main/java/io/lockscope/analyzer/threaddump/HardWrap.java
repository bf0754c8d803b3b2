package io.lockscope.analyzer.threaddump;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines a console or a tool broke at a fixed width and joins them again: a dump copied out of a
 * Windows console, or passed through {@code fold}, has every longer line cut at 80 or 120
 * characters, its rest on the next line ("...(a java.util.concurrent.locks.ReentrantLock$Nonfa" /
 * "irSync)"). Such text has no line longer than that width and many exactly as long: that is how
 * the width is told, from the first lines, before any is handed on. A line of that width is then
 * joined with the next unless the next starts as a dump's lines start. Text with a longer line
 * later is not wrapped after all, and is handed on as it is from there.
 */
final class HardWrap implements LineSource.LineConsumer {

    private static final int LOOK_AHEAD_LINES = 400;
    private static final int LOOK_AHEAD_CHARS = 128 * 1024;
    private static final int MIN_WIDTH = 60;
    private static final int MIN_AT_WIDTH = 5;

    private final LineSource.LineConsumer next;
    private final List<String> ahead = new ArrayList<>();
    private final List<Long> aheadNumbers = new ArrayList<>();
    private int aheadChars;
    private boolean decided;
    private int width;
    private int joined;

    private String pending;
    private long pendingNumber;
    private int lastPiece;

    HardWrap(LineSource.LineConsumer next) {
        this.next = next;
    }

    @Override
    public void line(String raw, long n) {
        if (!decided) {
            ahead.add(raw);
            aheadNumbers.add(n);
            aheadChars += raw.length();
            if (ahead.size() >= LOOK_AHEAD_LINES || aheadChars >= LOOK_AHEAD_CHARS) {
                decide();
            }
            return;
        }
        join(raw, n);
    }

    /** Hands on what is left; call once at the end of the input. */
    void finish() {
        if (!decided) {
            decide();
        }
        flush();
    }

    /** The width the lines were broken at, if they were; 0 if not. */
    int width() {
        return joined > 0 ? width : 0;
    }

    /** How many lines were joined to the one before them. */
    int joined() {
        return joined;
    }

    private void decide() {
        decided = true;
        int max = 0;
        int atMax = 0;
        for (String line : ahead) {
            int w = columns(line);
            if (w > max) {
                max = w;
                atMax = 1;
            } else if (w == max) {
                atMax++;
            }
        }
        // and the rest of a broken line is no line of a dump: text whose longest lines are a dump's own
        // (a pool's threads in the same long frame) is not broken; nor does it start as the line it was cut
        // from starts: a log whose lines are all as long (a timestamp, then a message of fixed width) is not broken
        int rests = 0;
        for (int i = 0; i + 1 < ahead.size(); i++) {
            if (columns(ahead.get(i)) == max && !startsADumpLine(ahead.get(i + 1)) && !sameStart(ahead.get(i), ahead.get(i + 1))) {
                rests++;
            }
        }
        // and cut lines pile up at the width, where a text's own longest lines spread out below their longest
        int near = 0;
        for (String line : ahead) {
            int w = columns(line);
            if (w < max && w >= max - 8) {
                near++;
            }
        }
        width = max >= MIN_WIDTH && atMax >= MIN_AT_WIDTH && rests >= MIN_AT_WIDTH && atMax >= 2 * near ? max : 0;
        for (int i = 0; i < ahead.size(); i++) {
            join(ahead.get(i), aheadNumbers.get(i));
        }
        ahead.clear();
        aheadNumbers.clear();
    }

    private void join(String raw, long n) {
        int columns = width > 0 ? columns(raw) : 0;
        if (columns > width) {
            width = 0; // a longer line: not broken at a width after all
        }
        if (pending != null && width > 0 && lastPiece == width && !startsADumpLine(raw)) {
            pending = pending + raw;
            lastPiece = columns;
            joined++;
            return;
        }
        flush();
        pending = raw;
        pendingNumber = n;
        lastPiece = columns;
    }

    /** Whether two lines start alike: their first six characters the same but for digits and letters ("2026-12-07 17:2"). */
    static boolean sameStart(String a, String b) {
        int n = Math.min(6, Math.min(a.length(), b.length()));
        if (n < 6) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (kind(a.charAt(i)) != kind(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char kind(char c) {
        return Character.isDigit(c) ? '9' : Character.isLetter(c) ? 'a' : c;
    }

    /** How wide the line is on a console: a tab goes on to the next multiple of 8, as consoles and fold count it. */
    static int columns(String line) {
        int c = 0;
        for (int i = 0; i < line.length(); i++) {
            c = line.charAt(i) == '\t' ? (c / 8 + 1) * 8 : c + 1;
        }
        return c;
    }

    private void flush() {
        if (pending != null) {
            next.line(pending, pendingNumber);
            pending = null;
        }
    }

    /**
     * How the lines of a dump start, which the rest of a broken line does not: a thread's header,
     * a frame, a lock line, a state, or a section's first line. Indented by a tab or, where a
     * console turned tabs into spaces, by spaces.
     */
    private static boolean startsADumpLine(String raw) {
        if (raw.isBlank()) {
            return true;
        }
        char c = raw.charAt(0);
        if ((c == '"' && raw.indexOf('"', 1) > 0) || raw.startsWith("=====")) {
            return true; // a thread's quoted name (the rest of a broken header starts with its closing quote alone), a rule
        }
        String t = raw.stripLeading();
        return t.startsWith("at ") || t.startsWith("- ") || t.startsWith("java.lang.Thread.State:")
                || t.startsWith("Locked ownable synchronizers:") || t.startsWith("No compile task")
                || t.startsWith("waiting ") || t.startsWith("which is held by") || t.startsWith("Thread ")
                || t.startsWith("Full thread dump") || t.startsWith("JNI global ref") || t.startsWith("Found ")
                || t.startsWith("Java stack information") || t.startsWith("Threads class SMR info:") || t.startsWith("Heap");
    }
}
