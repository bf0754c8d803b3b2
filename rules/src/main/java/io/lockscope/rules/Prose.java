package io.lockscope.rules;

import io.lockscope.model.Frame;
import io.lockscope.model.LockRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The words the rules' findings share, and how much of a long list a finding shows: titles stay
 * one line, evidence stays readable.
 */
final class Prose {

    /** Thread names a title lists before "and N more". */
    static final int NAMES_IN_TITLE = 5;
    /** Frames of a stack that a piece of evidence quotes. */
    static final int FRAMES_IN_EVIDENCE = 14;
    /** Waiters whose evidence quotes their stack; the rest are listed by their wait only. */
    static final int WAITERS_WITH_STACKS = 6;
    /** Pieces of evidence a contention finding keeps. */
    static final int EVIDENCE_KEPT = 40;
    /** Waiting threads a finding lists among its threads. */
    static final int THREADS_LISTED = 20;
    /** Recorded exceptions whose stacks a finding quotes. */
    static final int EXCEPTIONS_QUOTED = 5;
    /** Dumps whose waits a likely deadlock quotes; it counts the rest. */
    static final int DUMPS_OF_A_LIKELY_RING = 5;

    private Prose() {
    }

    /** The first {@code n} names, and "and K more" for the rest. */
    static List<String> limit(Collection<String> names, int n) {
        List<String> out = names.stream().limit(n).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        if (names.size() > n) {
            out.add("and " + (names.size() - n) + " more");
        }
        return out;
    }

    /** "3 threads wait: a, b, c" (at most {@link #NAMES_IN_TITLE} names). */
    static String waiting(Collection<String> waiters) {
        return waiting(waiters, "");
    }

    /** "3 threads wait for it: a, b, c": {@code what} after the verb. */
    static String waiting(Collection<String> waiters, String what) {
        return waiters.size() + (waiters.size() == 1 ? " thread waits" : " threads wait") + what + ": "
                + String.join(", ", limit(waiters, NAMES_IN_TITLE));
    }

    /** "ReentrantLock <0x...>", as titles name a lock. */
    static String lock(LockRef lock) {
        return lock.simpleClassName() + " <" + lock.id() + ">";
    }

    /** A stack as evidence quotes it: "at ..." lines, at most {@link #FRAMES_IN_EVIDENCE}. */
    static List<String> stack(List<Frame> frames) {
        return frames.stream().limit(FRAMES_IN_EVIDENCE).map(f -> "at " + f.text()).toList();
    }

    /** A class's simple name: "IllegalMonitorStateException". */
    static String simple(String cls) {
        return cls.substring(cls.lastIndexOf('.') + 1);
    }
}
