package io.lockscope.rules;

import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Fingerprints;
import io.lockscope.engine.Input;
import io.lockscope.engine.Problem;
import io.lockscope.engine.Rule;
import io.lockscope.engine.RuleContext;
import io.lockscope.engine.RuleMeta;
import io.lockscope.engine.RuleResult;
import io.lockscope.engine.Severity;
import io.lockscope.engine.Threshold;
import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Across several dumps of one JVM, the same thread holds the same lock with the same stack while
 * others wait for it: it is not making progress under that lock.
 */
@RuleMeta(
        id = "stuck-owner",
        summary = "The same thread holds the same lock with the same stack across dumps while others wait",
        severity = Severity.WARNING,
        needs = {Input.HISTORY},
        hint = StuckOwner.HINT)
public final class StuckOwner implements Rule {

    static final Threshold MIN_DUMPS = Threshold.of("min-dumps",
            "in how many dumps in a row the owner must be seen unchanged", "dumps", 2);

    static final Threshold MIN_SECONDS = Threshold.of("min-seconds",
            "how long from the first of those dumps to the last, when the dumps carry their times", "seconds", 2);

    static final String HINT = "Look at the owner's stack: that is where it is stuck, and everything that needs the "
            + "lock waits behind it. If it waits for something outside the JVM (a socket, a database, a file), put a "
            + "timeout on that call and move it out of the critical section.";

    @Override
    public List<Threshold> thresholds() {
        return List.of(MIN_DUMPS, MIN_SECONDS);
    }

    @Override
    public RuleResult check(RuleContext context) {
        List<Snapshot> shown = context.snapshots().stream().filter(Snapshot::ownersShown).toList();
        long min = Math.max(2, context.threshold(MIN_DUMPS));
        // a run: the same owner, lock class and stack in consecutive dumps, with waiters in each
        Map<String, Run> open = new LinkedHashMap<>();
        List<Run> done = new ArrayList<>();
        for (Snapshot s : shown) {
            LockGraph g = context.graph(s);
            // threads in a deadlock are stuck for that reason, which the deadlock rule reports
            Set<Integer> deadlocked = new java.util.HashSet<>();
            g.cycles().forEach(c -> deadlocked.addAll(c.members()));
            Map<String, Run> next = new LinkedHashMap<>();
            for (Hold h : g.holds()) {
                if (deadlocked.contains(h.thread())) {
                    continue;
                }
                List<Wait> waiters = g.waitersFor(h.lock().id()).stream().filter(w -> w.thread() != h.thread()).toList();
                if (waiters.isEmpty()) {
                    continue;
                }
                JvmThread owner = g.thread(h.thread());
                if (!owner.alive()) {
                    continue; // a thread that ended holding the lock: orphaned-lock's
                }
                String key = owner.identityKey() + "|" + h.lock().className() + "|" + stackKey(owner, h);
                Run run = open.containsKey(key) ? open.remove(key) : new Run(owner, h.lock());
                if (!next.containsKey(key)) {
                    run.add(g, h, waiters);
                    next.put(key, run);
                }
            }
            done.addAll(open.values());
            open = next;
        }
        done.addAll(open.values());
        List<Finding> findings = new io.lockscope.engine.Findings();
        long minSeconds = context.threshold(MIN_SECONDS);
        for (Run r : done) {
            if (r.snapshots.size() >= min && r.seconds().map(sec -> sec >= minSeconds).orElse(true)) {
                findings.add(r.toFinding(context));
            }
        }
        return RuleResult.of(findings);
    }

    /**
     * The stack from the top down to the frame that took the lock (all of it for a lock taken
     * with no frame to show, capped at 12 frames), as methods and lines: equal when the owner has
     * not moved. Hidden frames that jstack prints and the JSON dump leaves out (lambda forms) are
     * passed over, and locations are compared without their module.
     */
    static String stackKey(JvmThread t, Hold h) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Frame f : t.frames()) {
            if (f.method().contains("$$Lambda") || f.location().equals("Unknown Source")) {
                continue;
            }
            String location = f.location().substring(f.location().lastIndexOf('/') + 1);
            sb.append(f.method()).append('(').append(location).append(")\n");
            if (h.frame().map(hf -> hf == f).orElse(false) || ++n >= 12) {
                break;
            }
        }
        return sb.toString();
    }

    private static final class Run {
        final JvmThread owner;
        final LockRef lock;
        final Set<String> waiters = new LinkedHashSet<>();
        final List<String> snapshots = new ArrayList<>();
        final List<Evidence> evidence = new ArrayList<>();
        /** the times of the run's dumps that carry one */
        final List<Instant> times = new ArrayList<>();
        /** the owner's CPU time in the first and the last of the run's dumps that print it, in microseconds */
        OptionalLong firstCpu = OptionalLong.empty();
        OptionalLong lastCpu = OptionalLong.empty();

        Run(JvmThread owner, LockRef lock) {
            this.owner = owner;
            this.lock = lock;
        }

        void add(LockGraph g, Hold h, List<Wait> waits) {
            snapshots.add(g.snapshot().label());
            g.snapshot().time().ifPresent(times::add);
            OptionalLong cpu = g.thread(h.thread()).cpuMicros();
            if (cpu.isPresent()) {
                firstCpu = firstCpu.isPresent() ? firstCpu : cpu;
                lastCpu = cpu;
            }
            evidence.add(Evidences.holds(g, h, evidence.isEmpty()));
            for (Wait w : waits) {
                waiters.add(g.thread(w.thread()).name());
                evidence.add(Evidences.waits(g, w, Optional.of(g.thread(h.thread())), false));
            }
        }

        /**
         * Seconds from the earliest dump of the run to the latest, among those that carry a time;
         * empty when none does (then consecutive dumps are taken to be some time apart, as a
         * series of dumps is). A dump without a time beside timed ones adds no time: the
         * Serviceability Agent's dump, which has none, is often taken in the same second as jcmd's.
         */
        Optional<Long> seconds() {
            if (times.isEmpty()) {
                return Optional.empty();
            }
            Instant min = java.util.Collections.min(times);
            Instant max = java.util.Collections.max(times);
            return Optional.of(Duration.between(min, max).toSeconds());
        }

        Finding toFinding(RuleContext context) {
            List<String> threads = new ArrayList<>();
            threads.add(owner.name());
            threads.addAll(waiters);
            Optional<Long> cpuMicros = firstCpu.isPresent() && lastCpu.isPresent() && snapshots.size() > 1
                    ? Optional.of(lastCpu.getAsLong() - firstCpu.getAsLong()) : Optional.empty();
            return context.finding(new Stuck(owner.name(), lock, seconds().filter(sec -> sec > 0), List.copyOf(snapshots),
                    List.copyOf(waiters), cpuMicros), threads, List.of(lock), evidence, "stuck-owner|" + lock.className() + "|"
                    + Fingerprints.threadPattern(owner.name()) + "@" + Fingerprints.topFrame(owner));
        }
    }

    /**
     * An owner whose stack stayed the same in {@code dumps}, for {@code seconds} when the dumps carry
     * times; {@code cpuMicros} is the CPU time it used from the first of them to the last, when they
     * print it: next to none for an owner that waits or sleeps under the lock, much for one that
     * computes.
     */
    record Stuck(String owner, LockRef lock, Optional<Long> seconds, List<String> dumps, List<String> waiters,
            Optional<Long> cpuMicros) implements Problem {

        /**
         * Whether the owner ran between the dumps, on the same line each time: in a loop or a long
         * computation. It used a tenth of the time between them, or 100 ms when they carry no times.
         */
        public boolean busy() {
            long floor = seconds.map(sec -> Math.max(sec, 1) * 100_000).orElse(100_000L);
            return cpuMicros.filter(us -> us >= floor).isPresent();
        }

        private String cpu() {
            long us = cpuMicros.orElse(0L);
            return (us < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f", us / 1000.0) : String.valueOf(us / 1000)) + " ms of CPU";
        }

        @Override
        public String title() {
            String how = busy() ? ", busy on the same line (" + cpu() + " in between); "
                    : cpuMicros.isPresent() ? " without moving (" + cpu() + " in between); " : " without moving; ";
            return owner + " held " + Prose.lock(lock) + seconds.map(sec -> " for " + sec + " s or more").orElse("") + " across "
                    + dumps.size() + " dumps" + how + Prose.waiting(waiters);
        }

        @Override
        public String detail() {
            String same = "In each of " + String.join(", ", dumps) + " the owner's stack is the same, frame for "
                    + "frame and line for line, while other threads wait for the lock.";
            if (busy()) {
                return same + " It used " + cpu() + " time from the first of those dumps to the last: it is running under "
                        + "the lock, in a loop or a long computation, not waiting for anything.";
            }
            return cpuMicros.isPresent() ? same + " It used " + cpu() + " time from the first of those dumps to the last, "
                    + "next to none: it is blocked, parked or asleep under the lock, and its top frame says on what." : same;
        }
    }
}
