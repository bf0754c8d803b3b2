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
import io.lockscope.engine.Words;
import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.Recording;
import io.lockscope.model.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One lock that many threads wait for at once. */
@RuleMeta(
        id = "contention-hotspot",
        summary = "Many threads wait for the same lock at once",
        severity = Severity.WARNING,
        needs = {Input.WAITERS, Input.RECORDING},
        hint = ContentionHotspot.HINT)
public final class ContentionHotspot implements Rule {

    static final Threshold MIN_WAITERS = Threshold.of("min-waiters",
            "how many threads must wait for one lock, in one dump, for it to be a hotspot", "threads", 5);

    static final String HINT = "Shorten what is done under this lock (look at the owner's stack: that is what "
            + "everyone waits for), split the lock by key (lock striping), or replace it with a concurrent "
            + "structure (ConcurrentHashMap, LongAdder, a read/write or stamped lock for read-mostly data).";

    static final Threshold MIN_BLOCKED_MS = Threshold.of("min-blocked-ms",
            "how long threads must have waited for one lock in all, over a recording", "milliseconds", 1000);

    @Override
    public List<Threshold> thresholds() {
        return List.of(MIN_WAITERS, MIN_BLOCKED_MS);
    }

    @Override
    public RuleResult check(RuleContext context) {
        long min = context.threshold(MIN_WAITERS);
        Map<String, Hotspot> spots = new LinkedHashMap<>();
        for (Snapshot s : context.snapshots()) {
            LockGraph g = context.graph(s);
            for (List<Wait> waits : g.waitsByLock().values()) {
                if (waits.size() < min) {
                    continue;
                }
                LockRef lock = waits.get(0).lock();
                // joined across dumps by class and owner where the owner is known (text and JSON dumps
                // name the same lock differently), else by its id
                List<Hold> holders = g.holdersOf(lock.id());
                String byOwner = holders.isEmpty() ? null : lock.className() + "|" + g.thread(holders.get(0).thread()).identityKey();
                Hotspot spot = spots.get(lock.className() + "@" + lock.id());
                if (spot == null && byOwner != null) {
                    spot = spots.get(byOwner);
                }
                if (spot == null) {
                    spot = new Hotspot(lock);
                }
                spots.put(lock.className() + "@" + lock.id(), spot);
                if (byOwner != null) {
                    spots.putIfAbsent(byOwner, spot);
                }
                spot.add(g, waits);
            }
        }
        List<Finding> findings = new io.lockscope.engine.Findings();
        for (Hotspot h : new java.util.LinkedHashSet<>(spots.values())) {
            findings.add(h.toFinding(context, min));
        }
        long minBlocked = context.threshold(MIN_BLOCKED_MS);
        for (io.lockscope.model.Recording r : context.jvm().recordings()) {
            for (io.lockscope.model.Recording.Contention c : r.contentions()) {
                if (c.total().toMillis() >= minBlocked) {
                    findings.add(recorded(context, r, c));
                }
            }
        }
        return RuleResult.of(findings);
    }

    /** Time threads spent waiting for one lock over a recording, with who held it (monitors: previousOwner). */
    private static Finding recorded(RuleContext context, io.lockscope.model.Recording r, io.lockscope.model.Recording.Contention c) {
        String id = c.address().isPresent() && c.address().getAsLong() != 0 ? " <0x" + Long.toHexString(c.address().getAsLong()) + ">" : "";
        String owner = c.previousOwners().entrySet().stream().max(java.util.Map.Entry.comparingByValue())
                .map(java.util.Map.Entry::getKey).orElse("");
        List<String> threads = new ArrayList<>(c.previousOwners().keySet());
        c.waiters().keySet().stream().filter(w -> !threads.contains(w)).forEach(threads::add);
        LockRef lock = new LockRef(id.isEmpty() ? c.lockClass() : id.substring(2, id.length() - 1), c.lockClass());
        List<Evidence> evidence = List.of(Evidence.recorded(r.label(), r.at(), c.waiters().keySet().stream().findFirst(), Optional.of(lock),
                "the longest wait, " + c.longest().toMillis() + " ms, in this stack; " + Words.count(c.waiters().size(), "thread") + " waited",
                c.sampleStack().stream().map(f -> "at " + f.text()).toList()));
        return context.finding(new Recorded(c, id, owner), threads, List.of(lock), evidence,
                "contention-hotspot|" + c.lockClass() + "|recorded|" + Fingerprints.threadPattern(owner));
    }

    /** A recording's waits for one lock ({@code id}: " <0x...>" or empty), held mostly by {@code owner} (empty if not known). */
    record Recorded(io.lockscope.model.Recording.Contention contention, String id, String owner) implements Problem.OnRecording {

        @Override
        public String title() {
            Recording.Contention c = contention;
            String verb = c.kind() == Recording.ContentionKind.MONITOR_ENTER ? "blocked entering" : "parked on";
            return String.format("Threads %s %s%s for %.1f s in all (%d times, the longest %d ms)%s", verb,
                    new LockRef("", c.lockClass()).simpleClassName(), id, c.total().toMillis() / 1000.0, c.events(),
                    c.longest().toMillis(), owner.isEmpty() ? "" : ", held mostly by " + owner);
        }

        @Override
        public String detail() {
            Recording.Contention c = contention;
            return "From the recording's " + (c.kind() == Recording.ContentionKind.MONITOR_ENTER
                    ? "jdk.JavaMonitorEnter" : "jdk.ThreadPark") + " events (waits longer than their threshold, 20 ms by default): "
                    + Words.count(c.waiters().size(), "thread") + " waited " + Words.count(c.events(), "time") + " between " + c.first().map(Object::toString).orElse("?")
                    + " and " + c.last().map(Object::toString).orElse("?") + "."
                    + (c.previousOwners().isEmpty() ? "" : " Holders when they blocked: " + c.previousOwners() + ".");
        }
    }

    /** At most {@code most} threads waited for the lock in one dump (the threshold is {@code min}). */
    record Crowded(LockRef lock, int most, List<String> owners, int dumps, long min) implements Problem {

        @Override
        public String title() {
            return most + " threads wait for " + Prose.lock(lock)
                    + (owners.isEmpty() ? ", whose owner the dump does not show" : ", held by " + String.join(", ", owners))
                    + (dumps > 1 ? " (in " + dumps + " dumps)" : "");
        }

        @Override
        public String detail() {
            return "At most " + most + " threads waited for this lock in one dump (the threshold is " + min
                    + "). The owner's stack shows the work everyone waits for.";
        }
    }

    private static final class Hotspot {
        final LockRef lock;
        final Set<String> waiters = new LinkedHashSet<>();
        final Set<String> owners = new LinkedHashSet<>();
        final Set<String> snapshots = new LinkedHashSet<>();
        final List<Evidence> evidence = new ArrayList<>();
        int most;
        String ownerPattern = "";

        Hotspot(LockRef lock) {
            this.lock = lock;
        }

        void add(LockGraph g, List<Wait> waits) {
            snapshots.add(g.snapshot().label());
            most = Math.max(most, waits.size());
            List<Hold> holders = g.holdersOf(lock.id());
            Optional<JvmThread> owner = holders.isEmpty() ? Optional.empty() : Optional.of(g.thread(holders.get(0).thread()));
            for (Hold h : holders) {
                JvmThread t = g.thread(h.thread());
                owners.add(t.name());
                ownerPattern = Fingerprints.threadPattern(t.name()) + "@" + Fingerprints.topFrame(t);
                evidence.add(Evidences.holds(g, h, true));
            }
            for (Wait w : waits) {
                waiters.add(g.thread(w.thread()).name());
                if (evidence.size() < Prose.EVIDENCE_KEPT) {
                    evidence.add(Evidences.waits(g, w, owner, false));
                }
            }
        }

        Finding toFinding(RuleContext context, long min) {
            List<String> threads = new ArrayList<>(owners);
            threads.addAll(waiters);
            return context.finding(new Crowded(lock, most, List.copyOf(owners), snapshots.size(), min), threads, List.of(lock),
                    evidence, "contention-hotspot|" + lock.className() + "|" + ownerPattern);
        }
    }
}
