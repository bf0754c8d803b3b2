package io.lockscope.rules;

import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Input;
import io.lockscope.engine.Problem;
import io.lockscope.engine.Rule;
import io.lockscope.engine.RuleContext;
import io.lockscope.engine.RuleMeta;
import io.lockscope.engine.RuleResult;
import io.lockscope.engine.Severity;
import io.lockscope.engine.Threshold;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Recording;
import io.lockscope.model.Snapshot;
import io.lockscope.model.ThreadState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Virtual threads that blocked while pinned to their carrier thread: from a recording, each time
 * it happened (jdk.VirtualThreadPinned); from a thread dump, those pinned at that moment, a
 * virtual thread still mounted on its carrier while it waits, which it would otherwise leave.
 * When every carrier of the scheduler is held so, no other virtual thread can run. One finding
 * per JVM from recordings, and one from its dumps.
 */
@RuleMeta(
        id = "virtual-thread-pinning",
        summary = "Virtual threads blocked while pinned to their carriers, which could run nothing else meanwhile",
        severity = Severity.WARNING,
        needs = {Input.RECORDING, Input.VIRTUAL_THREADS},
        hint = VirtualThreadPinning.HINT)
public final class VirtualThreadPinning implements Rule {

    static final Threshold MIN_PINNED_MS = Threshold.of("min-pinned-ms",
            "how long virtual threads must have been pinned in all, over the recording", "milliseconds", 100);

    static final String HINT = "Find what keeps the virtual thread on its carrier at each place listed: a native "
            + "frame (JNI, a foreign call) or a class's static initializer (on JDK 21-23 also synchronized blocks "
            + "and Object.wait(); JDK 24 unpins those, JEP 491). Move blocking work out of static initializers and "
            + "native upcalls, or run it on a platform thread.";

    @Override
    public List<Threshold> thresholds() {
        return List.of(MIN_PINNED_MS);
    }

    @Override
    public RuleResult check(RuleContext context) {
        List<Finding> findings = new ArrayList<>(Input.VIRTUAL_THREADS.presentIn(context) ? fromDumps(context) : List.of());
        long events = 0;
        Duration total = Duration.ZERO;
        Set<String> threads = new LinkedHashSet<>();
        List<Evidence> evidence = new ArrayList<>();
        String worst = "";
        Duration worstTotal = Duration.ZERO;
        for (Recording r : context.jvm().recordings()) {
            for (Recording.Pinning p : r.pinnings()) {
                events += p.events();
                total = total.plus(p.total());
                threads.addAll(p.threads().keySet());
                if (p.total().compareTo(worstTotal) > 0) {
                    worstTotal = p.total();
                    worst = p.site();
                }
                evidence.add(Evidence.recorded(r.label(), r.at(), p.threads().keySet().stream().findFirst(), Optional.empty(),
                        "pinned " + p.events() + (p.events() == 1 ? " time" : " times") + " at " + p.site() + ", "
                                + p.total().toMillis() + " ms in all, the longest " + p.longest().toMillis() + " ms",
                        p.sampleStack().stream().map(f -> "at " + f.text()).toList()));
            }
        }
        if (events == 0 || total.toMillis() < context.threshold(MIN_PINNED_MS)) {
            return RuleResult.of(findings);
        }
        findings.add(context.finding(new RecordedPinning(events, total, worst),
                List.copyOf(threads).stream().map(t -> t.isEmpty() ? "(unnamed virtual thread)" : t).distinct().toList(), List.of(),
                evidence, "virtual-thread-pinning|" + worst.replaceAll(":\\d+\\)", ")")));
        return RuleResult.of(findings);
    }

    /** A recording's pinned events: how many, how long in all, and the site that pinned longest. */
    record RecordedPinning(long events, Duration total, String worst) implements Problem.OnRecording {

        @Override
        public String title() {
            return "Virtual threads pinned their carriers " + events + (events == 1 ? " time" : " times") + ", "
                    + total.toMillis() + " ms in all; the most at " + worst;
        }

        @Override
        public String detail() {
            return "While pinned, a virtual thread that blocks keeps its carrier (a platform thread of the "
                    + "scheduler) from running any other virtual thread; with enough of them the scheduler runs out of carriers.";
        }
    }

    /**
     * Virtual threads a dump shows pinned while they wait, at {@code sites}; when they hold every
     * carrier ({@code carriers} of {@code pool}), {@code waitingToRun} more wait for one.
     */
    record PinnedInDump(int pinned, Set<String> sites, boolean exhausted, int carriers, String pool, int waitingToRun,
            String dump) implements Problem {

        @Override
        public String title() {
            return pinned + (pinned == 1 ? " virtual thread pinned to its carrier while it waits" : " virtual threads pinned to their carriers while they wait")
                    + (exhausted ? "; they hold every carrier (" + carriers + ") of " + pool
                            + (waitingToRun == 0 ? "" : ", and " + waitingToRun + (waitingToRun == 1 ? " virtual thread waits" : " virtual threads wait")
                                    + " to run") : "")
                    + ": " + String.join(", ", sites);
        }

        @Override
        public String detail() {
            return "A virtual thread that waits gives its carrier back, unless it is pinned: inside a class's static "
                    + "initializer, under a native frame, or, on JDK 21 to 23, in a synchronized block or Object.wait(). These "
                    + "are still mounted while they wait (" + dump + ")."
                    + (exhausted ? " Every carrier of the scheduler is held this way, so no other virtual thread can run until one "
                            + "of them is released: to the rest of the application this looks like a hang." : "");
        }

        @Override
        public Optional<Severity> severity() {
            return Optional.of(exhausted ? Severity.ERROR : Severity.WARNING);
        }
    }

    /** A virtual thread a dump shows pinned while it waits: who, on which carrier ("" if the dump names none), doing what, where. */
    record Pinned(JvmThread thread, String carrier, String how, String site, Optional<Frame> where) {
    }

    /** From each dump, the virtual threads pinned while they wait, and whether they hold every carrier. */
    static List<Finding> fromDumps(RuleContext context) {
        Snapshot best = null;
        List<Pinned> bestPinned = List.of();
        for (Snapshot s : context.snapshots()) {
            List<Pinned> p = pinned(s);
            if (p.size() > bestPinned.size()) {
                best = s;
                bestPinned = p;
            }
        }
        if (best == null) {
            return List.of();
        }
        // jstack prints a virtual thread as "#22"; the JSON dump of the same JVM may name it
        Map<Long, String> names = new java.util.HashMap<>();
        for (Snapshot s : context.snapshots()) {
            for (JvmThread t : s.threads()) {
                if (t.virtual() && !t.name().isEmpty() && !t.name().startsWith("virtual #") && t.javaId().isPresent()) {
                    names.put(t.javaId().getAsLong(), t.name());
                }
            }
        }
        java.util.function.Function<JvmThread, String> named = t -> t.javaId().isPresent() && names.containsKey(t.javaId().getAsLong())
                ? names.get(t.javaId().getAsLong()) : name(t);
        // carriers: the scheduler's worker threads (ForkJoinPool-1-worker-2), found through the ones that carry
        Set<String> pools = new LinkedHashSet<>();
        for (Pinned p : bestPinned) {
            pools.add(pool(p.carrier()));
        }
        List<JvmThread> carriers = best.threads().stream().filter(t -> !t.virtual() && pools.contains(pool(t.name()))).toList();
        Set<String> pinnedCarriers = new LinkedHashSet<>();
        bestPinned.forEach(p -> pinnedCarriers.add(p.carrier()));
        boolean exhausted = !carriers.isEmpty() && carriers.stream().allMatch(c -> pinnedCarriers.contains(c.name()));
        // virtual threads that wait to run, when nothing can run them: unmounted and runnable, which only a JSON
        // dump lists (a set, since such a dump may list a million virtual threads)
        Set<String> waiting = new LinkedHashSet<>();
        if (exhausted) {
            for (Snapshot s : context.snapshots()) {
                for (JvmThread t : s.threads()) {
                    if (t.virtual() && t.carrier().isEmpty() && t.state() == ThreadState.RUNNABLE) {
                        waiting.add(named.apply(t));
                    }
                }
            }
        }
        List<Evidence> evidence = new ArrayList<>();
        Set<String> sites = new java.util.TreeSet<>();
        for (Pinned p : bestPinned) {
            String who = p.thread().virtual() ? named.apply(p.thread()) : "the virtual thread on " + p.carrier();
            sites.add(p.site());
            evidence.add(new Evidence(Evidence.Kind.SEEN, best.label(), p.thread().at(), Optional.of(who), Optional.empty(),
                    p.where().map(Frame::text), Optional.of(p.carrier()).filter(c -> !c.isEmpty()),
                    Prose.stack(p.thread().frames()),
                    Optional.of("\"" + who + "\" is " + p.how() + p.where().map(f -> " in " + f.text()).orElse("")
                            + (p.carrier().isEmpty() ? ", still mounted on a carrier this dump does not name"
                                    : ", still mounted on its carrier " + p.carrier()))));
        }
        List<String> threads = new ArrayList<>();
        bestPinned.forEach(p -> threads.add(p.thread().virtual() ? named.apply(p.thread()) : "the virtual thread on " + p.carrier()));
        if (exhausted) {
            waiting.stream().limit(Prose.THREADS_LISTED).forEach(threads::add);
        }
        return List.of(context.finding(new PinnedInDump(bestPinned.size(), sites, exhausted, carriers.size(), pools.iterator().next(),
                waiting.size(), best.label()), threads, List.of(), evidence, "virtual-thread-pinning|dump|" + String.join("|", sites)));
    }

    static List<Pinned> pinned(Snapshot s) {
        Map<String, JvmThread> platformById = new java.util.HashMap<>();
        for (JvmThread t : s.threads()) {
            if (!t.virtual()) {
                t.javaId().ifPresent(id -> platformById.put("#" + id, t));
                platformById.putIfAbsent(t.name(), t);
            }
        }
        List<Pinned> out = new ArrayList<>();
        for (JvmThread t : s.threads()) {
            if (t.virtual() && t.carrier().isPresent()) {
                String how = waiting(t);
                if (how != null) {
                    JvmThread c = platformById.get(t.carrier().get());
                    out.add(new Pinned(t, c != null ? c.name() : t.carrier().get(), how, site(t), applicationFrame(t)));
                }
            } else if (t.carriesPinnedVirtualThread()) {
                out.add(new Pinned(t, t.name(), parkedHow(t), site(t), applicationFrame(t)));
            } else if (t.virtual() && t.frames().stream().anyMatch(f -> f.method().equals(JvmThread.PARK_ON_CARRIER))) {
                // it parks its carrier, as only a pinned virtual thread does, in a dump that names no carriers
                // (jcmd Thread.dump_to_file's plain text)
                out.add(new Pinned(t, "", parkedHow(t), site(t), applicationFrame(t)));
            }
        }
        return out;
    }

    /** What a mounted virtual thread waits in, or null if it does not wait. */
    private static String waiting(JvmThread t) {
        for (Frame f : t.frames()) {
            for (io.lockscope.model.LockAction a : f.locks()) {
                if (a.kind() == io.lockscope.model.LockAction.Kind.WAITING_FOR_CLASS_INIT) {
                    return "waiting for " + a.lock().className() + " to be initialized";
                }
            }
        }
        if (t.frames().stream().anyMatch(f -> f.method().equals(JvmThread.PARK_ON_CARRIER))) {
            return parkedHow(t);
        }
        return switch (t.state()) {
            case BLOCKED -> "blocked entering a monitor";
            case WAITING, TIMED_WAITING -> "waiting";
            default -> null;
        };
    }

    private static String parkedHow(JvmThread t) {
        return t.frames().stream().anyMatch(f -> f.method().equals("java.lang.Thread.sleep")) ? "sleeping" : "parked";
    }

    /**
     * What pins it, as a place that stays the same from run to run: the static initializer it runs
     * or waits for, else the first frame of the application's own code (without a line or a hidden
     * class's address).
     */
    private static String site(JvmThread t) {
        for (Frame f : t.frames()) {
            if (f.methodName().equals("<clinit>")) {
                return f.method();
            }
            for (io.lockscope.model.LockAction a : f.locks()) {
                if (a.kind() == io.lockscope.model.LockAction.Kind.WAITING_FOR_CLASS_INIT) {
                    return a.lock().className() + ".<clinit>";
                }
            }
        }
        return applicationFrame(t).map(f -> f.method().replaceAll("/0x[0-9a-f]+", "")).orElse("?");
    }

    /** The first frame of the application's own code, where the wait happens. */
    private static Optional<Frame> applicationFrame(JvmThread t) {
        return Frame.firstApplication(t.frames());
    }

    private static String name(JvmThread t) {
        return t.name().isEmpty() ? "virtual #" + t.javaId().orElse(0) : t.name();
    }

    /** "ForkJoinPool-1-worker-2" belongs to pool "ForkJoinPool-1". */
    private static String pool(String carrier) {
        int w = carrier.lastIndexOf("-worker-");
        return w > 0 ? carrier.substring(0, w) : carrier;
    }
}
