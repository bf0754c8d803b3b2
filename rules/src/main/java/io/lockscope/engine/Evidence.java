package io.lockscope.engine;

import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import java.util.List;
import java.util.Optional;

/**
 * One fact behind a finding, with where it was read. Prose for people is rendered from these
 * fields in {@link #describe()} only.
 *
 * @param snapshot the snapshot it was seen in, e.g. {@code dumps/a.txt#2}
 * @param stack    the thread's top frames, innermost first, for the report to show
 */
public record Evidence(
        Kind kind,
        String snapshot,
        SourceRef at,
        Optional<String> thread,
        Optional<LockRef> lock,
        Optional<String> frame,
        Optional<String> otherThread,
        List<String> stack,
        Optional<String> note) {

    public Evidence {
        stack = List.copyOf(stack);
    }

    public Evidence(Kind kind, String snapshot, SourceRef at, Optional<String> thread, Optional<LockRef> lock,
            Optional<String> frame, Optional<String> otherThread, List<String> stack) {
        this(kind, snapshot, at, thread, lock, frame, otherThread, stack, Optional.empty());
    }

    /** A fact from a recording, told in a sentence of its own. */
    public static Evidence recorded(String recording, SourceRef at, Optional<String> thread, Optional<LockRef> lock,
            String sentence, List<String> stack) {
        return new Evidence(Kind.RECORDED, recording, at, thread, lock, Optional.empty(), Optional.empty(), stack,
                Optional.of(sentence));
    }

    public enum Kind {
        /** {@code thread} waits to acquire {@code lock}, held by {@code otherThread}. */
        WAITS_FOR,
        /** {@code thread} holds {@code lock}. */
        HOLDS,
        /** The JVM printed this deadlock itself; {@code thread} waits, {@code otherThread} holds. */
        REPORTED_BY_JVM,
        /** An event of a JFR recording, described by {@code note}. */
        RECORDED,
        /** A fact a dump shows that is no hold or wait, described by {@code note}. */
        SEEN
    }

    public String describe() {
        String who = thread.map(t -> "\"" + t + "\"").orElse("a thread");
        String what = lock.map(LockRef::toString).orElse("a lock");
        String where = frame.map(f -> " in " + f).orElse("");
        return switch (kind) {
            case WAITS_FOR -> who + " waits for " + what + where
                    + otherThread.map(o -> ", held by \"" + o + "\"").orElse("");
            case HOLDS -> who + " holds " + what + where;
            case REPORTED_BY_JVM -> "The JVM reported: " + who + " waits for " + what
                    + otherThread.map(o -> ", held by \"" + o + "\"").orElse("");
            case RECORDED -> "Recorded: " + note.orElse("");
            case SEEN -> note.orElse("");
        };
    }
}
