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
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.Frame;
import io.lockscope.model.Recording;
import io.lockscope.model.LockRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A live thread owns a java.util.concurrent lock that others wait for, and no code of it that
 * took the lock is running any more, so nothing will ever release it. What shows it is in
 * {@link Leaks}: a pool worker idle between tasks, a thread waiting in a loop of its own (likely),
 * a heap dump where nothing but the waiters reaches the lock, a recording where the owner's
 * unlock() threw. Monitors cannot leak this way: they are released when their block ends.
 */
@RuleMeta(
        id = "leaked-lock",
        summary = "A live thread holds a lock others wait for, and no code of it that could release the lock is running",
        severity = Severity.ERROR,
        needs = {Input.SYNCHRONIZER_OWNERS, Input.RECORDING},
        hint = LeakedLock.HINT)
public final class LeakedLock implements Rule {

    static final String HINT = "Find the code that locks this lock and check that every path unlocks the same "
            + "object: lock(); try { ... } finally { unlock(); }. A classic cause is a lock held in a field that is "
            + "reassigned between lock() and unlock(): the unlock goes to the new object and throws "
            + "IllegalMonitorStateException, which a pool's Future swallows, and the old lock stays held. "
            + "Keep the lock in a final field or a local variable.";

    @Override
    public RuleResult check(RuleContext context) {
        List<Finding> findings = new io.lockscope.engine.Findings();
        for (Leaks.Leak l : Leaks.find(context)) {
            findings.add(toFinding(context, l));
        }
        return RuleResult.of(findings);
    }

    private static Finding toFinding(RuleContext context, Leaks.Leak l) {
        LockRef lock = l.lock;
        Set<String> dumps = new LinkedHashSet<>();
        List<Evidence> evidence = new ArrayList<>();
        for (Leaks.Seen seen : l.seen) {
            LockGraph g = seen.graph();
            if (dumps.add(g.snapshot().label())) {
                seen.hold().ifPresent(h -> evidence.add(Evidences.holds(g, h, true)));
            }
            for (Wait w : seen.waits()) {
                evidence.add(Evidences.waits(g, w, l.owner, evidence.size() < 4));
            }
        }
        l.thrown.ifPresent(x -> evidence.add(Evidence.recorded(l.recording.get().label(), l.recording.get().at(),
                Optional.of(x.threadName()), Optional.empty(), "\"" + x.threadName() + "\" threw IllegalMonitorStateException"
                        + (x.message().isEmpty() ? "" : " (" + x.message() + ")") + " at " + x.time(),
                Prose.stack(x.stack()))));
        List<String> threads = new ArrayList<>();
        threads.add(l.ownerName);
        threads.addAll(l.waiters);
        String fingerprint = "leaked-lock|" + lock.className() + "|" + Fingerprints.threadPattern(l.ownerName)
                + l.idleAt.map(f -> "@" + Fingerprints.method(f)).orElse("");
        Leaked leaked = new Leaked(lock, l.ownerName, Set.copyOf(l.bases), l.inferred, l.certain(), l.idleAt, l.thrown,
                l.recording.map(Recording::label), List.copyOf(l.waiters), dumps.size());
        return context.finding(leaked, threads, List.of(lock), evidence, fingerprint);
    }

    /**
     * A lock its owner no longer runs code to release, and what shows it ({@code bases}): the owner
     * idle in a pool or its own loop ({@code idleAt}), its unlock() throwing ({@code thrown}, in
     * {@code recording}), or a heap dump in which nothing references it. {@code inferred}: no dump
     * named the owner, a recording did.
     */
    record Leaked(LockRef lock, String owner, Set<Leaks.Basis> bases, boolean inferred, boolean certain, Optional<Frame> idleAt,
            Optional<Recording.ThrownException> thrown, Optional<String> recording, List<String> waiters, int dumps)
            implements Problem {

        @Override
        public String title() {
            String where = thrown.map(x -> "its unlock() threw IllegalMonitorStateException at " + OwnershipMismatch.applicationFrame(x.stack()))
                    .orElse(idleAt.map(f -> "idle in " + shortMethod(f)).orElse("no field references the lock"));
            return Prose.lock(lock) + " " + (certain ? "leaked by " : "likely leaked by ") + owner + ", " + where + "; "
                    + Prose.waiting(waiters) + (dumps > 1 ? " (in " + dumps + " dumps)" : "");
        }

        @Override
        public String detail() {
            String family = Frame.topLevelClass(lock.className());
            List<String> why = new ArrayList<>();
            if (inferred) {
                why.add("No dump of this JVM names the owner of this lock (none lists java.util.concurrent owners). Inferred "
                        + "from the recording " + recording.orElse("?") + ": \"" + owner + "\", still alive, called "
                        + "unlock() on a " + family.substring(family.lastIndexOf('.') + 1)
                        + " in the code the waiters lock it from, and it threw IllegalMonitorStateException: the object it "
                        + "unlocked was not the one it had locked, which it most likely still holds. A dump with owners (jcmd "
                        + "<pid> Thread.print -l) or a heap dump would make it certain.");
            }
            if (bases.contains(Leaks.Basis.UNREFERENCED)) {
                why.add("The heap dump proves it: no field of any object points to this lock any more, and no frame of \""
                        + owner + "\" does; only the waiting threads' stack frames still reach it. The field it was "
                        + "taken through was reassigned while the lock was held, so no code can ever reach it to unlock it.");
            }
            if (bases.contains(Leaks.Basis.UNLOCK_THREW) && !inferred) {
                Recording.ThrownException x = thrown.get();
                why.add("The recording " + recording.orElse("?") + " proves it: \"" + owner + "\" called unlock() at "
                        + OwnershipMismatch.applicationFrame(x.stack()) + " and it threw IllegalMonitorStateException at " + x.time()
                        + ": the object it unlocked was not the lock it held, which it still holds.");
            }
            if (bases.contains(Leaks.Basis.POOL)) {
                why.add("\"" + owner + "\" lists the lock under \"Locked ownable synchronizers\", but its stack is back in "
                        + idleAt.get().method() + ", waiting for its next task: no frame of the code that took the lock is "
                        + "running, so nothing will release it.");
            } else if (bases.contains(Leaks.Basis.OWN_LOOP)) {
                why.add("\"" + owner + "\" lists the lock under \"Locked ownable synchronizers\", and waits for work in its "
                        + "own loop (" + idleAt.get().method() + "), with no frame in the code its waiters lock the lock from"
                        + (certain ? "." : ": the code that took it has most likely returned without unlocking. Likely, not "
                        + "certain: the loop method itself could hold it. A heap dump (no field referencing the lock) or a "
                        + "recording with exceptions would settle it."));
            }
            return String.join(" ", why);
        }

        @Override
        public Certainty certainty() {
            return certain ? Certainty.CERTAIN : Certainty.LIKELY;
        }

        @Override
        public Basis basis() {
            return bases.contains(Leaks.Basis.UNREFERENCED) ? Basis.HEAP_DUMP
                    : bases.contains(Leaks.Basis.UNLOCK_THREW) || inferred ? Basis.RECORDING : Basis.THREAD_DUMPS;
        }

        @Override
        public Optional<Severity> severity() {
            return certain ? Optional.empty() : Optional.of(Severity.WARNING);
        }
    }

    static String shortMethod(Frame f) {
        String c = f.className();
        int dot = c.lastIndexOf('.');
        return (dot < 0 ? c : c.substring(dot + 1)) + "." + f.methodName();
    }
}
