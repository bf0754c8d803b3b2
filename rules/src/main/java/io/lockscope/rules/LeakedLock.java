package io.lockscope.rules;

import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Fingerprints;
import io.lockscope.engine.Input;
import io.lockscope.engine.Rule;
import io.lockscope.engine.RuleContext;
import io.lockscope.engine.RuleMeta;
import io.lockscope.engine.RuleResult;
import io.lockscope.engine.Severity;
import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A live thread owns a java.util.concurrent lock that others wait for, while its stack shows it
 * idle, between tasks: no code of the task that took the lock is running any more, so nothing
 * will ever release it. Monitors cannot leak this way: they are released when their block ends.
 */
@RuleMeta(
        id = "leaked-lock",
        summary = "A live thread holds a lock others wait for while it is idle: the lock was never released",
        severity = Severity.ERROR,
        needs = {Input.SYNCHRONIZER_OWNERS})
public final class LeakedLock implements Rule {

    static final String HINT = "Find the code that locks this lock and check that every path unlocks the same "
            + "object: lock(); try { ... } finally { unlock(); }. A classic cause is a lock held in a field that is "
            + "reassigned between lock() and unlock(): the unlock goes to the new object and throws "
            + "IllegalMonitorStateException, which a pool's Future swallows, and the old lock stays held. "
            + "Keep the lock in a final field or a local variable.";

    @Override
    public RuleResult check(RuleContext context) {
        List<Snapshot> listed = context.snapshots().stream().filter(s -> s.synchronizerOwners().shown()).toList();
        if (listed.isEmpty()) {
            return RuleResult.notApplicable("no dump of this JVM lists the owners of java.util.concurrent locks; needs "
                    + Input.SYNCHRONIZER_OWNERS.description());
        }
        List<String> idle = context.patterns(Stacks.IDLE_FRAMES);
        Map<String, Leak> leaks = new LinkedHashMap<>();
        for (Snapshot s : listed) {
            LockGraph g = context.graph(s);
            for (Hold h : g.holds()) {
                if (h.frame().isPresent() || h.lock().isClassInit()) {
                    continue; // a monitor, or class init: both are held by the code on the stack
                }
                List<Wait> waiters = g.waitersFor(h.lock().id());
                if (waiters.isEmpty()) {
                    continue;
                }
                JvmThread owner = g.thread(h.thread());
                Optional<Frame> idleAt = Stacks.idleFrame(owner, idle);
                if (idleAt.isEmpty()) {
                    continue;
                }
                Leak leak = leaks.computeIfAbsent(owner.identityKey() + "|" + h.lock().className(),
                        k -> new Leak(owner, h.lock(), idleAt.get()));
                leak.add(g, h, waiters);
                s.synchronizers().stream().filter(x -> x.lock().id().equals(h.lock().id()) && x.referrersKnown())
                        .findFirst().ifPresent(x -> leak.unreferenced |= x.referrers().isEmpty());
            }
        }
        List<Finding> findings = new io.lockscope.engine.Findings();
        for (Leak l : leaks.values()) {
            findings.add(l.toFinding(context.jvm().id()));
        }
        return RuleResult.of(findings);
    }

    private static final class Leak {
        final JvmThread owner;
        final LockRef lock;
        final Frame idleAt;
        final Set<String> waiters = new LinkedHashSet<>();
        final Set<String> snapshots = new LinkedHashSet<>();
        final List<Evidence> evidence = new ArrayList<>();
        boolean unreferenced;

        Leak(JvmThread owner, LockRef lock, Frame idleAt) {
            this.owner = owner;
            this.lock = lock;
            this.idleAt = idleAt;
        }

        void add(LockGraph g, Hold h, List<Wait> waits) {
            if (snapshots.add(g.snapshot().label())) {
                evidence.add(Evidences.holds(g, h, true));
            }
            for (Wait w : waits) {
                waiters.add(g.thread(w.thread()).name());
                evidence.add(Evidences.waits(g, w, Optional.of(owner), evidence.size() < 4));
            }
        }

        Finding toFinding(String jvm) {
            String title = lock.simpleClassName() + " <" + lock.id() + "> leaked by " + owner.name() + ", idle in "
                    + shortMethod(idleAt) + "; " + waiters.size() + (waiters.size() == 1 ? " thread waits" : " threads wait")
                    + ": " + String.join(", ", OrphanedLock.limit(waiters, 5))
                    + (snapshots.size() > 1 ? " (in " + snapshots.size() + " dumps)" : "");
            String detail = "\"" + owner.name() + "\" lists the lock under \"Locked ownable synchronizers\", but its stack "
                    + "is back in " + idleAt.method() + ", waiting for work: no frame of the code that took the lock is "
                    + "running, so nothing will release it."
                    + (unreferenced ? " The heap dump confirms it: no field of any object points to this lock any more (the "
                    + "field it was taken through now holds another lock); only the waiting threads' stack frames still "
                    + "reach it." : "");
            List<String> threads = new ArrayList<>();
            threads.add(owner.name());
            threads.addAll(waiters);
            String fingerprint = "leaked-lock|" + lock.className() + "|" + Fingerprints.threadPattern(owner.name())
                    + "@" + Fingerprints.method(idleAt);
            return new Finding("leaked-lock", Severity.ERROR, title, jvm, threads, List.of(lock), evidence, detail, HINT,
                    fingerprint);
        }
    }

    static String shortMethod(Frame f) {
        String c = f.className();
        int dot = c.lastIndexOf('.');
        return (dot < 0 ? c : c.substring(dot + 1)) + "." + f.methodName();
    }
}
