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
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
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
        needs = {Input.OWNERS_AND_WAITERS})
public final class OwnershipMismatch implements Rule {

    static final String SELF_HINT = "The lock is not reentrant (a custom AbstractQueuedSynchronizer, a "
            + "ThreadPoolExecutor worker, a Semaphore used as a mutex): the thread that holds it must not take it "
            + "again. Use ReentrantLock, or restructure so the inner call does not lock.";
    static final String TWO_HINT = "Two threads cannot hold one exclusive lock. Either the dump was not taken at a "
            + "single instant (a tool that samples threads one by one), or the lock is used in a way that breaks it "
            + "(a lock object swapped between lock and unlock). Take the dump with jcmd <pid> Thread.print -l.";

    @Override
    public RuleResult check(RuleContext context) {
        if (context.snapshots().stream().noneMatch(s -> s.monitorOwners().shown() || s.synchronizerOwners().shown())) {
            return RuleResult.notApplicable("no dump of this JVM shows lock owners; needs "
                    + Input.OWNERS_AND_WAITERS.description());
        }
        Map<String, Finding> findings = new LinkedHashMap<>();
        for (Snapshot s : context.snapshots()) {
            LockGraph g = context.graph(s);
            for (Wait w : g.waits()) {
                for (Hold h : g.holdersOf(w.lock().id())) {
                    if (h.thread() == w.thread()) {
                        JvmThread t = g.thread(w.thread());
                        String key = "self|" + t.identityKey() + "|" + w.lock().className();
                        findings.putIfAbsent(key, selfWait(context.jvm().id(), g, t, h, w));
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
                findings.putIfAbsent(key, twoOwners(context.jvm().id(), g, holds));
            }
        }
        return RuleResult.of(new ArrayList<>(findings.values()));
    }

    private static Finding selfWait(String jvm, LockGraph g, JvmThread t, Hold h, Wait w) {
        LockRef lock = w.lock();
        String title = t.name() + " waits for " + lock.simpleClassName() + " <" + lock.id() + ">, which it holds itself";
        List<Evidence> evidence = List.of(Evidences.holds(g, h, false), Evidences.waits(g, w, Optional.of(t), true));
        return new Finding("ownership-mismatch", Severity.ERROR, title, jvm, List.of(t.name()), List.of(lock), evidence,
                "The dump lists the lock as owned by \"" + t.name() + "\" and shows the same thread parked waiting for it. "
                        + "A non-reentrant lock taken twice by one thread never lets go.",
                SELF_HINT, "ownership-mismatch|self|" + lock.className() + "|" + Fingerprints.threadPattern(t.name()));
    }

    private static Finding twoOwners(String jvm, LockGraph g, List<Hold> holds) {
        LockRef lock = holds.get(0).lock();
        List<String> names = holds.stream().map(h -> g.thread(h.thread()).name()).toList();
        String title = names.size() + " threads claim " + lock.simpleClassName() + " <" + lock.id() + ">: "
                + String.join(", ", names);
        List<Evidence> evidence = holds.stream().map(h -> Evidences.holds(g, h, true)).toList();
        return new Finding("ownership-mismatch", Severity.WARNING, title, jvm, names, List.of(lock), evidence,
                "Each of these threads lists the lock as held in the same dump, which an exclusive lock forbids.",
                TWO_HINT, "ownership-mismatch|two|" + lock.className() + "|"
                        + names.stream().map(Fingerprints::threadPattern).sorted().toList());
    }
}
