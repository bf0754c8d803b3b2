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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A thread holds a lock that others wait for while it sleeps, waits on another monitor or a
 * condition, or blocks in I/O: everyone behind it waits as long as that call takes.
 */
@RuleMeta(
        id = "blocking-while-holding",
        summary = "A thread sleeps, waits or blocks in I/O while holding a lock that others wait for",
        severity = Severity.WARNING,
        needs = {Input.OWNERS_AND_WAITERS},
        hint = BlockingWhileHolding.HINT)
public final class BlockingWhileHolding implements Rule {

    static final String HINT = "Move the blocking call out of the critical section: copy what you need under "
            + "the lock, release it, then sleep, wait or do the I/O. Where the wait must happen under the lock, "
            + "wait on that lock's own condition (Object.wait() on the same monitor, Condition.await() of the same "
            + "ReentrantLock), which releases it while waiting.";

    @Override
    public RuleResult check(RuleContext context) {
        List<String> extra = context.patterns(Stacks.BLOCKING_FRAMES);
        List<String> idle = context.patterns(Stacks.IDLE_FRAMES);
        Map<String, Case> cases = new LinkedHashMap<>();
        // a leaked lock is left to leaked-lock: its owner's blocking call is not what keeps it held
        Set<String> leaked = new java.util.HashSet<>();
        for (Leaks.Leak l : Leaks.find(context)) {
            leaked.add(l.ownerName + "|" + l.lock.className());
        }
        for (Snapshot s : context.snapshots()) {
            LockGraph g = context.graph(s);
            for (Hold h : g.holds()) {
                List<Wait> waiters = g.waitersFor(h.lock().id()).stream().filter(w -> w.thread() != h.thread()).toList();
                if (waiters.isEmpty()) {
                    continue;
                }
                JvmThread owner = g.thread(h.thread());
                if (h.frame().isEmpty() && (Stacks.idleFrame(owner, idle).isPresent()
                        || leaked.contains(owner.name() + "|" + h.lock().className()))) {
                    continue; // an idle pool thread holding a j.u.c lock: that is a leak, not a slow call
                }
                Optional<String> call = Stacks.blockingCall(owner, h.lock().id(), extra);
                if (call.isEmpty()) {
                    continue;
                }
                // joined across dumps by owner and class: a text dump and a JSON dump name the same lock differently
                Case c = cases.computeIfAbsent(owner.identityKey() + "|" + h.lock().className(),
                        k -> new Case(owner, h.lock(), call.get()));
                c.add(g, h, waiters);
            }
        }
        List<Finding> findings = new io.lockscope.engine.Findings();
        for (Case c : cases.values()) {
            findings.add(c.toFinding(context));
        }
        return RuleResult.of(findings);
    }

    private static final class Case {
        final JvmThread owner;
        final LockRef lock;
        final String call;
        final Set<String> waiters = new LinkedHashSet<>();
        final Set<String> snapshots = new LinkedHashSet<>();
        final List<Evidence> evidence = new ArrayList<>();

        Case(JvmThread owner, LockRef lock, String call) {
            this.owner = owner;
            this.lock = lock;
            this.call = call;
        }

        void add(LockGraph g, Hold h, List<Wait> waits) {
            if (snapshots.add(g.snapshot().label())) {
                evidence.add(Evidences.holds(g, h, true));
            }
            for (Wait w : waits) {
                waiters.add(g.thread(w.thread()).name());
                evidence.add(Evidences.waits(g, w, Optional.of(owner), false));
            }
        }

        Finding toFinding(RuleContext context) {
            List<String> threads = new ArrayList<>();
            threads.add(owner.name());
            threads.addAll(waiters);
            String fingerprint = "blocking-while-holding|" + lock.className() + "|" + Fingerprints.threadPattern(owner.name())
                    + "@" + Fingerprints.topFrame(owner);
            return context.finding(new Blocking(owner.name(), call, lock, List.copyOf(waiters), snapshots.size()), threads,
                    List.of(lock), evidence, fingerprint);
        }
    }

    /** The owner of a lock in a blocking call ({@code call}: "sleeps in Thread.sleep"), and the threads that wait for the lock. */
    record Blocking(String owner, String call, LockRef lock, List<String> waiters, int dumps) implements Problem {

        @Override
        public String title() {
            return owner + " " + call + " while holding " + Prose.lock(lock) + "; " + Prose.waiting(waiters)
                    + (dumps > 1 ? " (in " + dumps + " dumps)" : "");
        }

        @Override
        public String detail() {
            return "\"" + owner + "\" " + call + ". Every thread that needs " + lock + " waits as long as that call takes.";
        }
    }
}
