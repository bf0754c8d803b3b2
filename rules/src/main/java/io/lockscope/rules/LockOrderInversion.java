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
import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.graph.WaitForCycle;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.Recording;
import io.lockscope.model.SourceRef;
import io.lockscope.model.Snapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Two locks seen nested in opposite orders by different threads, in the dumps of one JVM: each
 * order alone is fine, together they are a deadlock waiting for the right timing.
 *
 * <p>A thread's nesting order is read from its stack: monitors locked in deeper (older) frames
 * were taken first; a lock it waits for comes after every lock it holds. Locks are matched across
 * dumps by address and class, so a garbage collection that moves a lock between two dumps hides
 * the pair. A JFR recording adds what its waits show: a thread blocked entering a monitor (or
 * parked on a lock) inside a synchronized instance method held that method's object's monitor;
 * such a nesting is known by lock classes and pairs with any opposite nesting of the same classes.
 */
@RuleMeta(
        id = "lock-order-inversion",
        summary = "Two locks are taken in opposite orders by different threads: a deadlock waiting to happen",
        severity = Severity.WARNING,
        needs = {Input.MONITOR_OWNERS, Input.RECORDING},
        hint = LockOrderInversion.HINT)
public final class LockOrderInversion implements Rule {

    static final String HINT = "Pick one order for these two locks and take them in that order everywhere, or "
            + "do not hold one while taking the other. The frames above show where each order is taken.";

    /**
     * One observation: a thread held {@code outer} when it took (or waited for) {@code inner}.
     * {@code recorded} when it comes from a recording's stacks, where the held monitor is known by
     * class only (a synchronized method's object) and the wait lasted {@code events} times.
     */
    record Nesting(LockRef outer, LockRef inner, String snapshot, String thread, String threadKey,
            Optional<String> outerFrame, Optional<String> innerFrame, SourceRef outerAt, SourceRef innerAt, boolean waiting,
            boolean recorded, long events) {

        Nesting(LockRef outer, LockRef inner, String snapshot, String thread, String threadKey, Optional<String> outerFrame,
                Optional<String> innerFrame, SourceRef outerAt, SourceRef innerAt, boolean waiting) {
            this(outer, inner, snapshot, thread, threadKey, outerFrame, innerFrame, outerAt, innerAt, waiting, false, 0);
        }
    }

    @Override
    public RuleResult check(RuleContext context) {
        List<Nesting> recorded = recordedNestings(context.jvm().recordings());
        Map<String, List<Nesting>> byOrder = new LinkedHashMap<>();
        Set<String> deadlockPairs = new HashSet<>();
        for (Snapshot s : context.snapshots()) {
            LockGraph g = context.graph(s);
            for (WaitForCycle c : g.cycles()) {
                for (Wait a : c.waits()) {
                    for (Wait b : c.waits()) {
                        deadlockPairs.add(pairKey(a.lock(), b.lock()));
                    }
                }
            }
            for (JvmThread t : g.snapshot().threads()) {
                for (Nesting n : nestings(g, t)) {
                    // the first nesting of each of two threads is all the pairing below looks at: keeping no more
                    // keeps a log of ten thousand dumps of the same nesting from holding ten thousand of them
                    List<Nesting> same = byOrder.computeIfAbsent(orderKey(n.outer(), n.inner()), k -> new ArrayList<>());
                    if (same.size() < 2 && same.stream().noneMatch(x -> x.threadKey().equals(n.threadKey()))) {
                        same.add(n);
                    }
                }
            }
        }
        List<Finding> findings = new io.lockscope.engine.Findings();
        Set<String> reported = new HashSet<>();
        for (Map.Entry<String, List<Nesting>> e : byOrder.entrySet()) {
            Nesting one = e.getValue().get(0);
            List<Nesting> opposite = byOrder.get(orderKey(one.inner(), one.outer()));
            if (opposite == null || !reported.add(pairKey(one.outer(), one.inner()))
                    || deadlockPairs.contains(pairKey(one.outer(), one.inner()))) {
                continue;
            }
            for (Nesting a : e.getValue()) {
                Optional<Nesting> b = opposite.stream().filter(o -> !o.threadKey().equals(a.threadKey())).findFirst();
                if (b.isPresent()) {
                    findings.add(finding(context, a, b.get()));
                    break;
                }
            }
        }
        // A recording knows a held monitor by its class, so its nestings pair with any nesting by classes
        // (the way the Linux kernel's lockdep orders lock classes, not lock instances).
        Map<String, List<Nesting>> byClassOrder = new LinkedHashMap<>();
        for (List<Nesting> ns : byOrder.values()) {
            for (Nesting n : ns) {
                byClassOrder.computeIfAbsent(n.outer().className() + " > " + n.inner().className(), k -> new ArrayList<>()).add(n);
            }
        }
        for (Nesting n : recorded) {
            byClassOrder.computeIfAbsent(n.outer().className() + " > " + n.inner().className(), k -> new ArrayList<>()).add(n);
        }
        Set<String> classPairs = new HashSet<>();
        for (Finding f : findings) {
            classPairs.add(classPairKey(f.locks().get(0).className(), f.locks().get(1).className()));
        }
        for (Nesting a : recorded) {
            String pair = classPairKey(a.outer().className(), a.inner().className());
            if (classPairs.contains(pair)) {
                continue;
            }
            Optional<Nesting> b = byClassOrder.getOrDefault(a.inner().className() + " > " + a.outer().className(), List.of())
                    .stream().filter(o -> !o.thread().equals(a.thread())).findFirst();
            if (b.isPresent()) {
                classPairs.add(pair);
                findings.add(finding(context, a, b.get()));
            }
        }
        return RuleResult.of(findings);
    }

    /** From each recording's contended locks: the monitors their waiters held, by synchronized methods. */
    static List<Nesting> recordedNestings(List<Recording> recordings) {
        List<Nesting> out = new ArrayList<>();
        for (Recording r : recordings) {
            for (Recording.Contention c : r.contentions()) {
                String id = c.address().isPresent() ? "0x" + Long.toHexString(c.address().getAsLong()) : c.lockClass();
                LockRef waited = new LockRef(id, c.lockClass());
                for (Recording.HeldWhileWaiting h : c.heldByWaiters()) {
                    LockRef held = new LockRef("this of " + h.heldAt().method(), h.lockClass());
                    out.add(new Nesting(held, waited, r.label(), h.thread(), "recorded:" + h.thread(),
                            Optional.of(h.heldAt().text()), Optional.of(h.waitedAt().text()), r.at(), r.at(), true, true,
                            h.events()));
                }
            }
        }
        return out;
    }

    private static String classPairKey(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    /** Every (held, then taken) pair in one thread's stack. */
    static List<Nesting> nestings(LockGraph g, JvmThread t) {
        List<Hold> holds = g.holdsOf(t.index());
        // holds of monitors in stack order, innermost first; reverse to get the order of taking
        List<Hold> monitors = new ArrayList<>(holds.stream().filter(h -> h.frame().isPresent() && !h.lock().isClassInit()).toList());
        java.util.Collections.reverse(monitors);
        List<Nesting> out = new ArrayList<>();
        String label = g.snapshot().label();
        for (int i = 0; i < monitors.size(); i++) {
            for (int j = i + 1; j < monitors.size(); j++) {
                Hold outer = monitors.get(i);
                Hold inner = monitors.get(j);
                out.add(new Nesting(outer.lock(), inner.lock(), label, t.name(), t.identityKey(), outer.frame().map(Frame::text),
                        inner.frame().map(Frame::text), outer.at(), inner.at(), false));
            }
        }
        for (Wait w : g.waitsOf(t.index())) {
            if (w.lock().isClassInit()) {
                continue;
            }
            for (Hold h : holds) {
                if (!h.lock().id().equals(w.lock().id()) && !h.lock().isClassInit()) {
                    out.add(new Nesting(h.lock(), w.lock(), label, t.name(), t.identityKey(), h.frame().map(Frame::text),
                            w.frame().map(Frame::text), h.at(), w.at(), true));
                }
            }
        }
        return out;
    }

    private static String said(Nesting n) {
        return "\"" + n.thread() + "\" held " + (n.recorded() ? "a " + n.outer().className() + " (in " + n.outerFrame().orElse("?") + ")"
                : n.outer().toString()) + " when it " + (n.waiting() ? "waited for " : "took ") + n.inner() + " (" + n.snapshot() + ")";
    }

    private static String orderKey(LockRef outer, LockRef inner) {
        return outer.className() + "@" + outer.id() + " > " + inner.className() + "@" + inner.id();
    }

    private static String pairKey(LockRef a, LockRef b) {
        String x = a.className() + "@" + a.id();
        String y = b.className() + "@" + b.id();
        return x.compareTo(y) < 0 ? x + "|" + y : y + "|" + x;
    }

    private static Finding finding(RuleContext context, Nesting a, Nesting b) {
        List<Evidence> evidence = new ArrayList<>();
        for (Nesting n : List.of(a, b)) {
            if (n.recorded()) {
                evidence.add(Evidence.recorded(n.snapshot(), n.outerAt(), Optional.of(n.thread()), Optional.of(n.inner()),
                        "\"" + n.thread() + "\" waited " + n.events() + (n.events() == 1 ? " time" : " times") + " for "
                        + n.inner() + " in " + n.innerFrame().orElse("?") + " while in the synchronized method "
                        + n.outerFrame().orElse("?") + ", holding the monitor of its " + n.outer().simpleClassName(),
                        List.of("at " + n.innerFrame().orElse("?"), "at " + n.outerFrame().orElse("?"))));
                continue;
            }
            evidence.add(new Evidence(Evidence.Kind.HOLDS, n.snapshot(), n.outerAt(), Optional.of(n.thread()),
                    Optional.of(n.outer()), n.outerFrame(), Optional.empty(), List.of()));
            evidence.add(new Evidence(n.waiting() ? Evidence.Kind.WAITS_FOR : Evidence.Kind.HOLDS, n.snapshot(), n.innerAt(),
                    Optional.of(n.thread()), Optional.of(n.inner()), n.innerFrame(), Optional.empty(), List.of()));
        }
        String[] classes = {a.outer().className(), a.inner().className()};
        java.util.Arrays.sort(classes);
        String fingerprint = "lock-order-inversion|" + classes[0] + "|" + classes[1] + "|"
                + io.lockscope.engine.Fingerprints.threadPattern(a.thread()) + "|"
                + io.lockscope.engine.Fingerprints.threadPattern(b.thread());
        return context.finding(new Inversion(a, b), List.of(a.thread(), b.thread()), List.of(a.outer(), a.inner()), evidence,
                fingerprint);
    }

    /** Two threads that took the same two locks in opposite orders: {@code a} took a.outer() then a.inner(), {@code b} the other way. */
    record Inversion(Nesting a, Nesting b) implements Problem {

        @Override
        public String title() {
            String first = a.outer().simpleClassName();
            String second = a.inner().simpleClassName();
            return first + " and " + second + " taken in opposite orders: " + a.thread() + " takes " + first
                    + " then " + second + ", " + b.thread() + " takes " + second + " then " + first;
        }

        @Override
        public String detail() {
            return said(a) + "; " + said(b) + ". Had the two run at the same moment, each would wait for the other forever."
                    + (a.recorded() || b.recorded() ? " A recording shows a held monitor by its class only (the object of a "
                            + "synchronized method), so the two may be different objects of these classes; the thread dumps "
                            + "of the moment, or a heap dump, tell." : "");
        }

        @Override
        public Basis basis() {
            return a.recorded() || b.recorded() ? Basis.RECORDING : Basis.THREAD_DUMPS;
        }
    }
}
