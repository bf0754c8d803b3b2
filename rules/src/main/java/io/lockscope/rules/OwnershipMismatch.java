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
import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SynchronizerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Facts about a lock's owner that cannot all be true. From thread dumps: two threads that both
 * claim the same exclusive lock, and a thread that waits for a lock it already holds (a
 * non-reentrant lock taken twice: it waits for itself forever).
 */
@RuleMeta(
        id = "ownership-mismatch",
        summary = "A lock's ownership contradicts itself: two owners, or an owner waiting for its own lock",
        severity = Severity.ERROR,
        needs = {Input.OWNERS_AND_WAITERS, Input.RECORDING})
public final class OwnershipMismatch implements Rule {

    static final String SELF_HINT = "The lock is not reentrant (a custom AbstractQueuedSynchronizer, a "
            + "ThreadPoolExecutor worker, a Semaphore used as a mutex): the thread that holds it must not take it "
            + "again. Use ReentrantLock, or restructure so the inner call does not lock.";
    static final String STATE_HINT = "A synchronizer whose state and owner disagree is broken: look at a custom "
            + "AbstractQueuedSynchronizer's tryAcquire/tryRelease (set the owner when acquiring, clear it before the state "
            + "when releasing), or at code that calls setExclusiveOwnerThread directly.";
    static final String UNREFERENCED_HINT = "Keep locks in final fields. A lock object replaced while threads hold or wait "
            + "for it splits its users in two: those who took the old object wait for an unlock that goes to the new one.";
    static final String IMSE_HINT = "Unlock the very object that was locked: keep the lock in a final field or read "
            + "it once into a local before lock() and use that local for unlock(). Do not swallow the exception: a "
            + "failed unlock leaves the lock that was meant held.";
    static final String TWO_HINT = "Two threads cannot hold one exclusive lock. Either the dump was not taken at a "
            + "single instant (a tool that samples threads one by one), or the lock is used in a way that breaks it "
            + "(a lock object swapped between lock and unlock). Take the dump with jcmd <pid> Thread.print -l.";

    @Override
    public RuleResult check(RuleContext context) {
        Map<String, Finding> findings = new LinkedHashMap<>();
        for (Snapshot s : context.snapshots()) {
            LockGraph g = context.graph(s);
            for (Wait w : g.waits()) {
                for (Hold h : g.holdersOf(w.lock().id())) {
                    if (h.thread() == w.thread()) {
                        JvmThread t = g.thread(w.thread());
                        String key = "self|" + t.identityKey() + "|" + w.lock().className();
                        findings.putIfAbsent(key, selfWait(context, g, t, h, w));
                    }
                }
            }
            Map<String, List<Hold>> byLock = new LinkedHashMap<>();
            for (Hold h : g.holds()) {
                byLock.computeIfAbsent(h.lock().id(), k -> new ArrayList<>()).add(h);
            }
            for (List<Hold> holds : byLock.values()) {
                if (holds.size() < 2 || holds.get(0).lock().isClassInit()) {
                    continue;
                }
                String key = "two|" + holds.get(0).lock().className() + "|" + holds.stream()
                        .map(h -> g.thread(h.thread()).identityKey()).sorted().toList();
                findings.putIfAbsent(key, twoOwners(context, g, holds));
            }
        }
        for (Snapshot s : context.snapshots()) {
            LockGraph g = context.graph(s);
            for (SynchronizerState st : s.synchronizers()) {
                stateContradiction(context, g, st).ifPresent(f -> findings.putIfAbsent("state|" + st.lock().id(), f));
                unreferenced(context, g, st).ifPresent(f -> findings.putIfAbsent("unref|" + st.lock().id(), f));
            }
        }
        disagreeingOwners(context).forEach(f -> findings.putIfAbsent("disagree|" + f.fingerprint(), f));
        illegalMonitorStates(context).forEach(f -> findings.putIfAbsent("imse|" + f.fingerprint(), f));
        return RuleResult.of(new ArrayList<>(findings.values()));
    }

    /** AQS state that contradicts the owner field: held with no owner, or an owner with nothing held. */
    private static Optional<Finding> stateContradiction(RuleContext context, LockGraph g, SynchronizerState st) {
        boolean exclusiveKind = st.kind() == io.lockscope.model.LockKind.EXCLUSIVE || st.kind() == io.lockscope.model.LockKind.READ_WRITE;
        if (!exclusiveKind) {
            return Optional.empty();
        }
        LockRef lock = st.lock();
        if (st.exclusiveHolds() > 0 && st.owner().isEmpty()) {
            return Optional.of(context.finding(new HeldByNoOwner(lock, st.exclusiveHolds()), waiterNames(g, st), List.of(lock),
                    List.of(), "ownership-mismatch|no-owner|" + lock.className()));
        }
        if (st.owner().isPresent() && st.exclusiveHolds() == 0 && st.sharedHolds() == 0) {
            JvmThread owner = g.thread(st.owner().get());
            return Optional.of(context.finding(new StaleOwner(lock, owner.name()), List.of(owner.name()), List.of(lock), List.of(),
                    "ownership-mismatch|stale-owner|" + lock.className() + "|" + Fingerprints.threadPattern(owner.name())));
        }
        return Optional.empty();
    }

    /** Threads queued for a lock that no object's field points to any more. */
    private static Optional<Finding> unreferenced(RuleContext context, LockGraph g, SynchronizerState st) {
        if (!st.referrersKnown() || !st.referrers().isEmpty() || st.queued().isEmpty()) {
            return Optional.empty();
        }
        if (st.owner().isPresent() && g.thread(st.owner().get()).alive()) {
            return Optional.empty(); // a live owner that nothing can reach to unlock: leaked-lock reports it
        }
        LockRef lock = st.lock();
        List<String> names = waiterNames(g, st);
        return Optional.of(context.finding(new Unreferenced(lock, names), names, List.of(lock),
                g.waitersFor(lock.id()).stream().map(w -> Evidences.waits(g, w, Optional.empty(), true)).toList(),
                "ownership-mismatch|unreferenced|" + lock.className() + "|"
                        + names.stream().map(Fingerprints::threadPattern).sorted().toList()));
    }

    /**
     * A thread dump and a heap dump of one JVM that name different owners for the same lock (same
     * class, same waiters). Two thread dumps minutes apart may rightly differ: a lock changes hands.
     */
    private static List<Finding> disagreeingOwners(RuleContext context) {
        /** The owner the first snapshot that shows the lock names: who, in which snapshot, of which format. */
        record OwnerSeen(String identity, String name, String snapshot, String format) {
        }

        if (context.snapshots().stream().noneMatch(s -> s.format().equals("hprof"))) {
            return List.of();
        }
        Map<String, OwnerSeen> ownerByKey = new LinkedHashMap<>(); // by lock class and waiters
        List<Finding> out = new io.lockscope.engine.Findings();
        for (Snapshot s : context.snapshots()) {
            LockGraph g = context.graph(s);
            for (List<Wait> waits : g.waitsByLock().values()) {
                LockRef lock = waits.get(0).lock();
                List<Hold> holders = g.holdersOf(lock.id());
                if (holders.size() != 1 || lock.className().startsWith("java.util.concurrent.locks.ReentrantReadWriteLock")) {
                    continue;
                }
                JvmThread owner = g.thread(holders.get(0).thread());
                String key = lock.className() + "|" + waits.stream().map(w -> g.thread(w.thread()).identityKey()).sorted().toList();
                OwnerSeen seen = ownerByKey.putIfAbsent(key, new OwnerSeen(owner.identityKey(), owner.name(), s.label(), s.format()));
                boolean heapAgainstDump = seen != null && (seen.format().equals("hprof") != s.format().equals("hprof"));
                if (seen != null && heapAgainstDump && !seen.identity().equals(owner.identityKey())) {
                    out.add(context.finding(new OwnersDisagree(lock, seen.name(), seen.snapshot(), owner.name(), s.label()),
                            List.of(seen.name(), owner.name()), List.of(lock), List.of(Evidences.holds(g, holders.get(0), true)),
                            "ownership-mismatch|disagree|" + lock.className()));
                }
            }
        }
        return out;
    }

    /**
     * Every IllegalMonitorStateException a recording caught, one finding per place it was thrown: an
     * unlock, wait or notify by a thread that does not hold the lock. Tied to the locks that threads
     * now wait for and that the throwing thread holds, where a dump of the JVM shows them.
     */
    private static List<Finding> illegalMonitorStates(RuleContext context) {
        Map<String, List<io.lockscope.model.Recording.ThrownException>> bySite = new LinkedHashMap<>();
        Map<String, io.lockscope.model.Recording> recordingOf = new LinkedHashMap<>();
        for (io.lockscope.model.Recording r : context.jvm().recordings()) {
            for (io.lockscope.model.Recording.ThrownException x : r.exceptions()) {
                if (!x.exceptionClass().equals("java.lang.IllegalMonitorStateException")) {
                    continue;
                }
                String site = applicationFrame(x.stack());
                bySite.computeIfAbsent(site, k -> new ArrayList<>()).add(x);
                recordingOf.putIfAbsent(site, r);
            }
        }
        List<Finding> out = new io.lockscope.engine.Findings();
        for (Map.Entry<String, List<io.lockscope.model.Recording.ThrownException>> e : bySite.entrySet()) {
            io.lockscope.model.Recording.ThrownException x = e.getValue().get(0);
            io.lockscope.model.Recording r = recordingOf.get(e.getKey());
            String what = x.stack().stream().anyMatch(f -> f.methodName().equals("tryRelease") || f.methodName().equals("unlock"))
                    ? "unlocked a lock it does not hold" : x.stack().stream().anyMatch(f -> f.method().startsWith("java.lang.Object.wait"))
                    ? "waited on a monitor it does not hold" : x.stack().stream().anyMatch(f -> f.method().startsWith("java.lang.Object.notify"))
                    ? "notified on a monitor it does not hold" : "used a lock it does not hold";
            List<String> threads = new ArrayList<>(e.getValue().stream().map(t -> t.threadName()).distinct().toList());
            List<LockRef> locks = new ArrayList<>();
            List<Evidence> evidence = new ArrayList<>();
            for (io.lockscope.model.Recording.ThrownException t : e.getValue().subList(0, Math.min(Prose.EXCEPTIONS_QUOTED, e.getValue().size()))) {
                evidence.add(Evidence.recorded(r.label(), r.at(), Optional.of(t.threadName()), Optional.empty(),
                        "\"" + t.threadName() + "\" threw IllegalMonitorStateException" + (t.message().isEmpty() ? "" : " (" + t.message() + ")")
                                + " at " + t.time(), Prose.stack(t.stack())));
            }
            // the thread that failed to unlock may still hold the lock it meant: who waits for it?
            StringBuilder tie = new StringBuilder();
            for (Snapshot s : context.snapshots()) {
                LockGraph g = context.graph(s);
                for (Hold h : g.holds()) {
                    JvmThread owner = g.thread(h.thread());
                    if (!threads.contains(owner.name()) || g.waitersFor(h.lock().id()).isEmpty()) {
                        continue;
                    }
                    List<String> waiters = g.waitersFor(h.lock().id()).stream().map(w -> g.thread(w.thread()).name()).distinct().toList();
                    if (locks.stream().noneMatch(l -> l.className().equals(h.lock().className()))) {
                        locks.add(h.lock());
                        tie.append(" ").append(String.join(", ", waiters)).append(waiters.size() == 1 ? " waits" : " wait")
                                .append(" for ").append(h.lock()).append(", which \"").append(owner.name())
                                .append("\" still holds (").append(s.label()).append(").");
                        for (String w : waiters) {
                            if (!threads.contains(w)) {
                                threads.add(w);
                            }
                        }
                    }
                }
            }
            out.add(context.finding(new IllegalMonitorState(x.threadName(), what, e.getKey(), e.getValue().size(), tie.toString()),
                    threads, locks, evidence, "ownership-mismatch|imse|" + e.getKey().replaceAll(":\\d+\\)", ")")));
        }
        return out;
    }

    /** The first frame of the application below the JDK's locking code (or the top frame, if none is), as text. */
    static String applicationFrame(List<io.lockscope.model.Frame> stack) {
        return io.lockscope.model.Frame.firstApplication(stack).or(() -> stack.stream().findFirst())
                .map(io.lockscope.model.Frame::text).orElse("?");
    }

    private static List<String> waiterNames(LockGraph g, SynchronizerState st) {
        return st.queued().stream().map(q -> g.thread(q.thread()).name()).toList();
    }

    private static Finding selfWait(RuleContext context, LockGraph g, JvmThread t, Hold h, Wait w) {
        LockRef lock = w.lock();
        List<Evidence> evidence = List.of(Evidences.holds(g, h, false), Evidences.waits(g, w, Optional.of(t), true));
        return context.finding(new SelfWait(t.name(), lock), List.of(t.name()), List.of(lock), evidence,
                "ownership-mismatch|self|" + lock.className() + "|" + Fingerprints.threadPattern(t.name()));
    }

    private static Finding twoOwners(RuleContext context, LockGraph g, List<Hold> holds) {
        LockRef lock = holds.get(0).lock();
        List<String> names = holds.stream().map(h -> g.thread(h.thread()).name()).toList();
        List<Evidence> evidence = holds.stream().map(h -> Evidences.holds(g, h, true)).toList();
        return context.finding(new TwoOwners(lock, names), names, List.of(lock), evidence, "ownership-mismatch|two|"
                + lock.className() + "|" + names.stream().map(Fingerprints::threadPattern).sorted().toList());
    }

    /** A thread that waits for a lock it holds itself: a non-reentrant lock taken twice. */
    record SelfWait(String thread, LockRef lock) implements Problem {
        @Override
        public String title() {
            return thread + " waits for " + Prose.lock(lock) + ", which it holds itself";
        }

        @Override
        public String detail() {
            return "The dump lists the lock as owned by \"" + thread + "\" and shows the same thread parked waiting for it. "
                    + "A non-reentrant lock taken twice by one thread never lets go.";
        }

        @Override
        public String hint() {
            return SELF_HINT;
        }
    }

    /** Threads that each list one exclusive lock as held in the same dump. */
    record TwoOwners(LockRef lock, List<String> owners) implements Problem.Warning {
        @Override
        public String title() {
            return owners.size() + " threads claim " + Prose.lock(lock) + ": " + String.join(", ", owners);
        }

        @Override
        public String detail() {
            return "Each of these threads lists the lock as held in the same dump, which an exclusive lock forbids.";
        }

        @Override
        public String hint() {
            return TWO_HINT;
        }
    }

    /** A lock whose AQS state counts {@code holds} exclusive holds while its exclusiveOwnerThread is null. */
    record HeldByNoOwner(LockRef lock, long holds) implements Problem.OnHeapDump {
        @Override
        public String title() {
            return Prose.lock(lock) + " is held " + holds + (holds == 1 ? " time" : " times") + " by no owner";
        }

        @Override
        public String detail() {
            return "The heap dump shows the lock's state counting " + holds + " exclusive holds while its "
                    + "exclusiveOwnerThread is null: nobody can release it.";
        }

        @Override
        public String hint() {
            return STATE_HINT;
        }
    }

    /** A lock whose exclusiveOwnerThread names {@code owner} while its state counts no hold. */
    record StaleOwner(LockRef lock, String owner) implements Problem.OnHeapDump, Problem.Warning {
        @Override
        public String title() {
            return Prose.lock(lock) + " names " + owner + " as owner but is not held";
        }

        @Override
        public String detail() {
            return "The heap dump shows exclusiveOwnerThread set while the state counts no hold: an unlock that did not "
                    + "finish, or a custom synchronizer that does not clear its owner.";
        }

        @Override
        public String hint() {
            return STATE_HINT;
        }
    }

    /** Threads queued for a lock that no object's field references any more, and no live thread owns. */
    record Unreferenced(LockRef lock, List<String> waiters) implements Problem.OnHeapDump, Problem.Warning {
        @Override
        public String title() {
            return waiters.size() + (waiters.size() == 1 ? " thread waits" : " threads wait") + " for " + Prose.lock(lock)
                    + ", which no field references any more: " + String.join(", ", waiters);
        }

        @Override
        public String detail() {
            return "The heap dump finds no object whose field points to this lock or the lock object around it; only the "
                    + "stack frames of its waiters still reach it. The field it was taken from was reassigned while "
                    + "threads were using it.";
        }

        @Override
        public String hint() {
            return UNREFERENCED_HINT;
        }
    }

    /** One lock (same class, same waiters) with one owner in a thread dump and another in a heap dump. */
    record OwnersDisagree(LockRef lock, String firstOwner, String firstDump, String secondOwner, String secondDump)
            implements Problem.OnHeapDump, Problem.Warning {
        @Override
        public String title() {
            return lock.simpleClassName() + " has two owners in two dumps of one JVM: " + firstOwner + " (" + firstDump + ") and "
                    + secondOwner + " (" + secondDump + ")";
        }

        @Override
        public String detail() {
            return "The same lock (the same class, the same threads waiting) has one owner in one dump and another "
                    + "in the next, while its waiters did not move: the lock changed hands over their heads, or "
                    + "the dumps disagree.";
        }

        @Override
        public String hint() {
            return TWO_HINT;
        }
    }

    /**
     * IllegalMonitorStateExceptions a recording caught at one {@code site} ({@code times} of them):
     * {@code what} the thread did; {@code tie}, the locks it still holds that others wait for.
     */
    record IllegalMonitorState(String thread, String what, String site, int times, String tie) implements Problem.OnRecording {
        @Override
        public String title() {
            return thread + " " + what + ": IllegalMonitorStateException at " + site + (times > 1 ? " (" + times + " times)" : "");
        }

        @Override
        public String detail() {
            return "The recording caught the exception where it was thrown." + tie;
        }

        @Override
        public String hint() {
            return IMSE_HINT;
        }
    }
}
