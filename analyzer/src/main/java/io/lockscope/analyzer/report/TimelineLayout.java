package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.model.JvmHistory;
import io.lockscope.model.Recording;
import io.lockscope.model.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A JVM's time line as a picture: the dumps taken, the threads a recording saw end (with the
 * exceptions before), and the locks threads waited longest for, as bars over the recording's time.
 */
final class TimelineLayout {

    static final int LABEL_W = 230;
    static final int PLOT_W = 820;
    static final int ROW_H = 22;
    static final int TOP = 26;
    static final int MAX_THREADS = 14;
    static final int MAX_LOCKS = 6;

    private TimelineLayout() {
    }

    static Optional<ObjectNode> of(JvmHistory jvm) {
        if (jvm.recordings().isEmpty()) {
            return Optional.empty();
        }
        List<Instant> times = new ArrayList<>();
        for (Recording r : jvm.recordings()) {
            r.start().ifPresent(times::add);
            r.end().ifPresent(times::add);
        }
        jvm.snapshots().forEach(s -> s.time().ifPresent(times::add));
        if (times.size() < 2) {
            return Optional.empty();
        }
        Instant from = times.stream().min(Comparator.naturalOrder()).get();
        Instant to = times.stream().max(Comparator.naturalOrder()).get();
        long span = Math.max(1, Duration.between(from, to).toMillis());
        ObjectNode out = ReportModel.MAPPER.createObjectNode();
        ArrayNode rows = out.putArray("rows");
        int y = TOP;
        // the dumps taken
        ObjectNode dumps = row(rows, "dumps taken", y);
        for (Snapshot s : jvm.snapshots()) {
            if (s.time().isPresent()) {
                mark(dumps, x(s.time().get(), from, span), "dump", s.format() + " " + s.label() + " at " + s.time().get());
            }
        }
        y += ROW_H;
        // threads that ended, with their last exceptions
        List<Recording.ThreadLife> ended = new ArrayList<>();
        for (Recording r : jvm.recordings()) {
            r.threads().stream().filter(t -> t.ended().isPresent()).forEach(ended::add);
        }
        for (Recording.ThreadLife t : ended.subList(0, Math.min(MAX_THREADS, ended.size()))) {
            ObjectNode row = row(rows, "thread " + t.name(), y);
            double x1 = t.started().map(i -> x(i, from, span)).orElse((double) LABEL_W);
            double x2 = x(t.ended().get(), from, span);
            bar(row, x1, x2, "life", t.name() + ": " + t.started().map(i -> "started " + i + ", ").orElse("") + "ended " + t.ended().get());
            mark(row, x2, "end", t.name() + " ended at " + t.ended().get());
            for (Recording r : jvm.recordings()) {
                for (Recording.ThrownException e : r.exceptions()) {
                    if (e.threadId() == t.javaId()) {
                        mark(row, x(e.time(), from, span), "exception", e.exceptionClass() + " at " + e.time()
                                + (e.stack().isEmpty() ? "" : " in " + e.stack().get(0).text()));
                    }
                }
            }
            y += ROW_H;
        }
        // exceptions of threads that did not end (e.g. IllegalMonitorStateException)
        ObjectNode other = null;
        for (Recording r : jvm.recordings()) {
            for (Recording.ThrownException e : r.exceptions()) {
                if (ended.stream().noneMatch(t -> t.javaId() == e.threadId())) {
                    if (other == null) {
                        other = row(rows, "exceptions", y);
                        y += ROW_H;
                    }
                    mark(other, x(e.time(), from, span), "exception", e.threadName() + ": " + e.exceptionClass() + " at " + e.time());
                }
            }
        }
        // the locks threads waited longest for
        List<Recording.Contention> contended = new ArrayList<>();
        jvm.recordings().forEach(r -> contended.addAll(r.contentions()));
        contended.sort(Comparator.comparing(Recording.Contention::total).reversed());
        for (Recording.Contention c : contended.subList(0, Math.min(MAX_LOCKS, contended.size()))) {
            if (c.first().isEmpty()) {
                continue;
            }
            String name = c.lockClass().substring(c.lockClass().lastIndexOf('.') + 1);
            ObjectNode row = row(rows, "waits for " + name, y);
            bar(row, x(c.first().get(), from, span), Math.max(x(c.last().get(), from, span), x(c.first().get(), from, span) + 2), "contention",
                    String.format("%s: %d waits, %.1f s in all, the longest %d ms", c.lockClass(), c.events(),
                            c.total().toMillis() / 1000.0, c.longest().toMillis()));
            y += ROW_H;
        }
        ArrayNode axis = out.putArray("axis");
        for (int i = 0; i <= 4; i++) {
            ObjectNode tick = axis.addObject();
            tick.put("x", LABEL_W + PLOT_W * i / 4.0);
            tick.put("text", String.format("+%.1f s", span * i / 4.0 / 1000));
        }
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("width", LABEL_W + PLOT_W + 40);
        out.put("height", y + 6);
        out.put("plotLeft", LABEL_W);
        out.put("plotRight", LABEL_W + PLOT_W);
        return Optional.of(out);
    }

    private static double x(Instant t, Instant from, long span) {
        return LABEL_W + PLOT_W * Math.max(0, Math.min(1, Duration.between(from, t).toMillis() / (double) span));
    }

    private static ObjectNode row(ArrayNode rows, String label, int y) {
        ObjectNode r = rows.addObject();
        r.put("label", GraphLayout.shorten(label, 34));
        r.put("title", label);
        r.put("y", y);
        r.putArray("bars");
        r.putArray("marks");
        return r;
    }

    private static void bar(ObjectNode row, double x1, double x2, String cls, String title) {
        ObjectNode b = row.withArray("bars").addObject();
        b.put("x", x1);
        b.put("w", Math.max(2, x2 - x1));
        b.put("cls", cls);
        b.put("title", title);
    }

    private static void mark(ObjectNode row, double x, String cls, String title) {
        ObjectNode m = row.withArray("marks").addObject();
        m.put("x", x);
        m.put("cls", cls);
        m.put("title", title);
    }
}
