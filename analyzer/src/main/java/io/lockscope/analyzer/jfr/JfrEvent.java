package io.lockscope.analyzer.jfr;

import io.lockscope.model.Frame;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One recording event as both decoders (the JDK's and JMC's) hand it over: its type, when, how
 * long, on which thread, with what stack, and the fields lockscope reads. Field values are
 * Strings, Longs, Booleans, Instants, or a {@link JfrThread}.
 */
record JfrEvent(String type, Instant start, Duration duration, Optional<JfrThread> thread,
        java.util.function.Supplier<JfrStack> frames, Map<String, Object> fields) {

    /** The stack, innermost first; converted only when asked for, since most events never need it. */
    List<Frame> stack() {
        return frames.get().frames();
    }

    /** The stack with which of its frames hold their object's monitor. */
    JfrStack jfrStack() {
        return frames.get();
    }

    record JfrThread(long javaId, String name, long osId, boolean virtual) {
    }

    String string(String field) {
        Object v = fields.get(field);
        return v == null ? "" : v.toString();
    }

    long number(String field) {
        Object v = fields.get(field);
        return v instanceof Number n ? n.longValue() : 0;
    }

    Optional<JfrThread> threadField(String field) {
        return fields.get(field) instanceof JfrThread t ? Optional.of(t) : Optional.empty();
    }

    Optional<Instant> instant(String field) {
        return fields.get(field) instanceof Instant i ? Optional.of(i) : Optional.empty();
    }
}
