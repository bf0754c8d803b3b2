package io.lockscope.analyzer.jfr;

import io.lockscope.analyzer.LongMap;
import io.lockscope.analyzer.threaddump.ThreadDumpReader;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmHints;
import io.lockscope.model.LockKind;
import io.lockscope.model.Recording;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SourceRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns recording events into facts as they arrive: thread lives, the exceptions that matter
 * (every IllegalMonitorStateException, and each thread's last one), contended locks added up per
 * lock, pinned virtual threads added up per site, and each jdk.ThreadDump as a snapshot of that
 * moment. What it keeps grows with threads and locks, not with events.
 *
 * <p>Every decoder feeds it the same way: contention as {@link LockWaits} ({@link #waits}), one
 * wait or many added up; every other event it reads as a {@link JfrEvent} ({@link #accept}; a
 * decoder that hands contention over as events too, JMC's, has it turned into LockWaits here);
 * events that are only counted through {@link #counted}.
 */
final class RecordingBuilder implements Consumer<JfrEvent> {

    static final String IMSE = "java.lang.IllegalMonitorStateException";
    static final int MAX_KEPT_EXCEPTIONS = 1000;

    private final String file;
    private final Map<String, long[]> counts = new HashMap<>();
    private final Map<Long, Life> lifeTimes = new LinkedHashMap<>(); // by javaId
    private final Map<Long, JfrEvent.JfrThread> threadInfo = new HashMap<>();
    private final Map<Long, Recording.ThrownException> lastException = new HashMap<>();
    private final List<Recording.ThrownException> monitorStateExceptions = new ArrayList<>();
    /** Contended locks in the order first seen; found by kind, class and address through {@link #lock}. */
    private final List<Agg> contentions = new ArrayList<>();
    private final Map<String, LongMap<Agg>> monitorsByClass = new HashMap<>();
    private final Map<String, LongMap<Agg>> parkedByClass = new HashMap<>();
    /** The counts of the two events most of a recording is, kept apart from the map of the rest. */
    private final long[] monitorEnters = {0};
    private final long[] parks = {0};
    private final Map<String, Boolean> parkClasses = new HashMap<>();
    private final Map<String, Agg> pinnings = new LinkedHashMap<>();
    private final List<String> threadDumps = new ArrayList<>();
    private final List<Instant> threadDumpTimes = new ArrayList<>();
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private long pid;
    private String version = "";
    private Instant jvmStart;

    /** One lock's (or pinning site's) waits, added up. */
    private static final class Agg {
        final Recording.ContentionKind kind;
        final String lockClass;
        final long address;
        long events;
        // nanoseconds and counters, not Durations and Longs: this is added to once per lock event
        long totalNanos;
        long longestNanos = -1;
        private final Map<String, long[]> waiterCounts = new LinkedHashMap<>();
        private final Map<String, long[]> ownerCounts = new LinkedHashMap<>();
        List<Frame> sample = List.of();
        long firstAt = Long.MAX_VALUE;
        long lastAt = Long.MIN_VALUE;

        Agg(Recording.ContentionKind kind, String lockClass, long address) {
            this.kind = kind;
            this.lockClass = lockClass;
            this.address = address;
        }

        /** Waits on this lock (or at this pinning site), one or many. */
        void add(LockWaits w) {
            events += w.events();
            totalNanos += w.totalNanos();
            if (w.longestNanos() > longestNanos) {
                longestNanos = w.longestNanos();
                List<Frame> frames = w.longestStack().get().frames();
                sample = frames.size() > 24 ? List.copyOf(frames.subList(0, 24)) : frames;
            }
            if (kind != null) {
                for (LockWaits.StackWaits s : w.stacks()) {
                    held(s.stack().get(), s.thread(), s.count());
                }
            }
            w.waiters().forEach((name, count) -> bump(waiterCounts, name, count));
            w.owners().forEach((name, count) -> bump(ownerCounts, name, count));
            firstAt = Math.min(firstAt, w.first());
            lastAt = Math.max(lastAt, w.last());
        }

        /**
         * The monitors a waiter held, from the synchronized instance methods below the wait (for a
         * monitor enter, below the top frame, which is the method whose monitor it waits to enter).
         */
        void held(JfrStack stack, String waiter, long count) {
            List<Frame> frames = stack.frames();
            BitSet sync = stack.synchronizedMethods();
            int from = kind == Recording.ContentionKind.MONITOR_ENTER ? 1 : 0;
            if (sync.nextSetBit(from) < 0) {
                return;
            }
            Frame waitedAt = frames.stream().filter(f -> !f.className().startsWith("java.util.concurrent.locks.")
                    && !f.className().startsWith("jdk.internal.")).findFirst().orElse(frames.get(0));
            Set<String> seen = new HashSet<>();
            for (int i = sync.nextSetBit(from); i >= 0 && i < frames.size(); i = sync.nextSetBit(i + 1)) {
                Frame f = frames.get(i);
                // the same class again is reentry, or another object of the class waited for: no order to learn
                if (f.className().equals(lockClass) || !seen.add(f.className())) {
                    continue;
                }
                Held key = new Held(f, waiter, waitedAt);
                long[] n = heldCounts.get(key);
                if (n != null) {
                    n[0] += count;
                } else if (heldCounts.size() < MAX_HELD) {
                    heldCounts.put(key, new long[] {count});
                }
            }
        }

        /** Sorted, since the decoders see the same waits in different orders. */
        List<Recording.HeldWhileWaiting> heldByWaiters() {
            return heldCounts.entrySet().stream()
                    .sorted(java.util.Comparator.comparing((Map.Entry<Held, long[]> e) -> e.getKey().heldAt().text())
                            .thenComparing(e -> e.getKey().waiter()).thenComparing(e -> e.getKey().waitedAt().text()))
                    .map(e -> new Recording.HeldWhileWaiting(e.getKey().heldAt().className(), e.getKey().waiter(),
                            e.getKey().heldAt(), e.getKey().waitedAt(), e.getValue()[0]))
                    .toList();
        }

        /** A synchronized method a waiter was in, and where it waited; counted per lock, up to MAX_HELD of them. */
        private record Held(Frame heldAt, String waiter, Frame waitedAt) {
        }

        private static final int MAX_HELD = 100;
        private final Map<Held, long[]> heldCounts = new HashMap<>();

        Optional<Instant> first() {
            return events == 0 ? Optional.empty() : Optional.of(instant(firstAt));
        }

        Optional<Instant> last() {
            return events == 0 ? Optional.empty() : Optional.of(instant(lastAt));
        }

        Duration total() {
            return Duration.ofNanos(totalNanos);
        }

        Duration longest() {
            return Duration.ofNanos(Math.max(0, longestNanos));
        }

        Map<String, Long> waiters() {
            return counted(waiterCounts);
        }

        Map<String, Long> owners() {
            return counted(ownerCounts);
        }

        private static Map<String, Long> counted(Map<String, long[]> counts) {
            Map<String, Long> out = new LinkedHashMap<>();
            counts.forEach((name, n) -> out.put(name, n[0]));
            return out;
        }

        private static void bump(Map<String, long[]> m, String name) {
            bump(m, name, 1);
        }

        private static void bump(Map<String, long[]> m, String name, long count) {
            long[] n = m.get(name);
            if (n != null) {
                n[0] += count;
            } else if (m.size() < 200) {
                m.put(name, new long[] {count});
            }
        }
    }

    RecordingBuilder(String file) {
        this.file = file;
    }

    /** Events that are only counted: {@code n} more of the type. */
    void counted(String type, long n) {
        long[] c = type.equals("jdk.JavaMonitorEnter") ? monitorEnters : type.equals("jdk.ThreadPark") ? parks : counts.get(type);
        if (c == null) {
            counts.put(type, new long[] {n});
        } else {
            c[0] += n;
        }
    }

    private void seen(Instant at) {
        seen(nanos(at));
    }

    /** Nanoseconds since the epoch; 0 (no time recorded) is left out. */
    private void seen(long at) {
        if (at != 0) {
            first = Math.min(first, at);
            last = Math.max(last, at);
        }
    }

    /**
     * Waits for one lock, from any decoder: counted, and added to the lock's total; parks on what
     * is not a lock with an owner (a latch, a queue, a bare park) are only counted.
     */
    void waits(LockWaits w) {
        (w.kind() == Recording.ContentionKind.MONITOR_ENTER ? monitorEnters : parks)[0] += w.events();
        seen(w.first());
        seen(w.last());
        if (w.kind() == Recording.ContentionKind.PARK && !parksOnLock(w.lockClass())) {
            return;
        }
        lock(w.kind(), w.lockClass(), w.address()).add(w);
    }

    /** The waits added up for one lock, made on its first wait. */
    private Agg lock(Recording.ContentionKind kind, String cls, long address) {
        Map<String, LongMap<Agg>> byClass = kind == Recording.ContentionKind.MONITOR_ENTER ? monitorsByClass : parkedByClass;
        LongMap<Agg> byAddress = byClass.get(cls);
        if (byAddress == null) {
            byAddress = new LongMap<>();
            byClass.put(cls, byAddress);
        }
        Agg a = byAddress.get(address);
        if (a == null) {
            a = new Agg(kind, cls, address);
            byAddress.put(address, a);
            contentions.add(a);
        }
        return a;
    }

    /** Whether a park on this blocker class waits for a lock with an owner (not a latch, queue or bare park). */
    private boolean parksOnLock(String cls) {
        // the decoders hand over one String per class: most parks are on the class the last one was on
        if (cls == lastParkClass) {
            return lastParkOnLock;
        }
        lastParkClass = cls;
        lastParkOnLock = !cls.isEmpty() && parkClasses.computeIfAbsent(cls, c -> LockKind.ofParkBlocker(c).hasOwner());
        return lastParkOnLock;
    }

    private String lastParkClass;
    private boolean lastParkOnLock;

    @Override
    public void accept(JfrEvent e) {
        e.thread().ifPresent(t -> threadInfo.putIfAbsent(t.javaId(), t));
        if (e.type().equals("jdk.JavaMonitorEnter") || e.type().equals("jdk.ThreadPark")) {
            // a decoder that hands these over as events (JMC's): the same way in as every other decoder's waits
            Recording.ContentionKind kind = e.type().equals("jdk.JavaMonitorEnter") ? Recording.ContentionKind.MONITOR_ENTER
                    : Recording.ContentionKind.PARK;
            String cls = e.string(kind == Recording.ContentionKind.MONITOR_ENTER ? "monitorClass" : "parkedClass");
            waits(LockWaits.one(kind, cls, e.number("address"), nanos(e.start()), e.duration().toNanos(),
                    e.thread().map(JfrEvent.JfrThread::name).orElse(""),
                    kind == Recording.ContentionKind.MONITOR_ENTER ? e.threadField("previousOwner").map(JfrEvent.JfrThread::name).orElse(null) : null,
                    e::jfrStack));
            return;
        }
        counted(e.type(), 1);
        seen(e.start());
        switch (e.type()) {
            case "jdk.ThreadStart" -> e.threadField("thread").or(e::thread).ifPresent(t -> life(t).startNanos = nanos(e.start()));
            case "jdk.ThreadEnd" -> e.threadField("thread").or(e::thread).ifPresent(t -> life(t).endNanos = nanos(e.start()));
            case "jdk.JavaExceptionThrow", "jdk.JavaErrorThrow" -> exception(e);
            case "jdk.VirtualThreadPinned" -> pinning(e);
            case "jdk.ThreadDump" -> {
                threadDumps.add(e.string("result"));
                threadDumpTimes.add(e.start());
            }
            case "jdk.JVMInformation" -> {
                pid = e.number("pid");
                // "OpenJDK 64-Bit Server VM (25.0.3+9-LTS) for linux-amd64 JRE (25.0.3+9-LTS), built on ...": the version proper
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(([^()]+)\\)").matcher(e.string("jvmVersion"));
                version = m.find() ? "JDK " + m.group(1) : e.string("jvmVersion");
                jvmStart = e.instant("jvmStartTime").orElse(null);
            }
            default -> {
                // counted only: JavaMonitorWait, ThreadSleep, JavaMonitorInflate
            }
        }
    }

    /** When a thread started and ended, as far as the recording saw: nanoseconds since the epoch, or -1. */
    private static final class Life {
        long startNanos = -1;
        long endNanos = -1;

        Optional<Instant> start() {
            return startNanos < 0 ? Optional.empty() : Optional.of(instant(startNanos));
        }

        Optional<Instant> end() {
            return endNanos < 0 ? Optional.empty() : Optional.of(instant(endNanos));
        }
    }

    private Life life(JfrEvent.JfrThread t) {
        threadInfo.putIfAbsent(t.javaId(), t);
        return lifeTimes.computeIfAbsent(t.javaId(), k -> new Life());
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }

    private void exception(JfrEvent e) {
        if (e.thread().isEmpty()) {
            return;
        }
        JfrEvent.JfrThread t = e.thread().get();
        String cls = e.string("thrownClass");
        List<Frame> site = throwSite(e.stack());
        Recording.ThrownException x = new Recording.ThrownException(t.javaId(), t.name(), e.start(), cls, e.string("message"),
                site, e.type().equals("jdk.JavaErrorThrow"));
        Recording.ThrownException previous = lastException.get(t.javaId());
        // events may come out of time order: keep each thread's latest
        if (previous != null && previous.time().isAfter(e.start())) {
            if (cls.equals(IMSE) && monitorStateExceptions.size() < MAX_KEPT_EXCEPTIONS) {
                monitorStateExceptions.add(new Recording.ThrownException(t.javaId(), t.name(), e.start(), cls, e.string("message"),
                        site, e.type().equals("jdk.JavaErrorThrow")));
            }
            return;
        }
        // since JDK 22 an Error is recorded twice, once per constructor: the same throw at the same moment
        if (previous != null && previous.exceptionClass().equals(cls) && previous.stack().equals(site)
                && Duration.between(previous.time(), e.start()).abs().toMillis() < 2) {
            return;
        }
        lastException.put(t.javaId(), x);
        if (cls.equals(IMSE) && monitorStateExceptions.size() < MAX_KEPT_EXCEPTIONS) {
            monitorStateExceptions.add(x);
        }
    }

    /** The stack below the Throwable constructors: where the exception was created, usually where it was thrown. */
    static List<Frame> throwSite(List<Frame> stack) {
        int i = 0;
        while (i < stack.size() && stack.get(i).methodName().equals("<init>")) {
            i++;
        }
        List<Frame> site = stack.subList(i, stack.size());
        return site.size() > 24 ? List.copyOf(site.subList(0, 24)) : List.copyOf(site);
    }

    private void pinning(JfrEvent e) {
        // what pins: a static initializer or a native frame on the stack; else the first frame of the application
        List<Frame> stack = e.stack();
        String site = stack.stream().filter(f -> f.methodName().equals("<clinit>") || f.location().equals("Native Method"))
                .filter(Frame::isApplication).findFirst()
                .or(() -> Frame.firstApplication(stack))
                .or(() -> stack.stream().findFirst()).map(Frame::text).orElse("?");
        pinnings.computeIfAbsent(site, k -> new Agg(null, site, 0)).add(LockWaits.one(null, site, 0, nanos(e.start()),
                e.duration().toNanos(), e.thread().map(JfrEvent.JfrThread::name).orElse(""), null, e::jfrStack));
    }

    /** The recording, and the thread dumps it carried as snapshots of the same JVM. */
    Recording build(boolean complete, String note, Consumer<Snapshot> snapshots) throws IOException {
        JvmHints hints = new JvmHints(pid == 0 ? OptionalLong.empty() : OptionalLong.of(pid),
                version.isEmpty() ? Optional.empty() : Optional.of(version), Optional.empty());
        for (int i = 0; i < threadDumps.size(); i++) {
            int n = i + 1;
            Instant at = threadDumpTimes.get(i);
            ThreadDumpReader.readText(new ByteArrayInputStream(threadDumps.get(i).getBytes(StandardCharsets.UTF_8)),
                    file + "#threaddump-" + n, io.lockscope.analyzer.threaddump.TextDialect.JSTACK, s -> snapshots.accept(new Snapshot(s.label().replaceFirst("#1$", ""),
                            "jfr-threaddump", SourceRef.file(file), Optional.of(at), hints, s.threads(), s.monitorOwners(),
                            s.synchronizerOwners(), s.reportedDeadlocks(), s.synchronizers())));
        }
        List<Recording.ThreadLife> lives = new ArrayList<>();
        for (Map.Entry<Long, Life> e : lifeTimes.entrySet()) {
            JfrEvent.JfrThread t = threadInfo.get(e.getKey());
            lives.add(new Recording.ThreadLife(e.getKey(), t == null ? "" : t.name(), e.getValue().start(), e.getValue().end(),
                    t != null && t.virtual()));
        }
        List<Recording.ThrownException> exceptions = new ArrayList<>(monitorStateExceptions);
        // the last exception of each thread that ended: how threads died
        for (Recording.ThreadLife life : lives) {
            Recording.ThrownException x = lastException.get(life.javaId());
            if (life.ended().isPresent() && x != null && !exceptions.contains(x)) {
                exceptions.add(x);
            }
        }
        List<Recording.Contention> cs = new ArrayList<>();
        for (Agg a : contentions) {
            cs.add(new Recording.Contention(a.kind, a.lockClass, OptionalLong.of(a.address), a.events, a.total(), a.longest(),
                    a.waiters(), a.owners(), a.sample, a.first(), a.last(), a.heldByWaiters()));
        }
        List<Recording.Pinning> ps = new ArrayList<>();
        for (Agg a : pinnings.values()) {
            ps.add(new Recording.Pinning(a.lockClass, a.events, a.total(), a.longest(), a.waiters(), a.sample));
        }
        Map<String, Long> eventCounts = new TreeMap<>();
        eventCounts.putAll(counts());
        return new Recording(file, SourceRef.file(file), hints, Optional.ofNullable(jvmStart),
                first == Long.MAX_VALUE ? Optional.empty() : Optional.of(instant(first)),
                last == Long.MIN_VALUE ? Optional.empty() : Optional.of(instant(last)), lives, exceptions, cs, ps, eventCounts, complete, note);
    }

    int threadDumpCount() {
        return threadDumps.size();
    }

    Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v[0]));
        if (monitorEnters[0] > 0) {
            out.put("jdk.JavaMonitorEnter", monitorEnters[0]);
        }
        if (parks[0] > 0) {
            out.put("jdk.ThreadPark", parks[0]);
        }
        return out;
    }
}
