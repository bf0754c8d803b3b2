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
import io.lockscope.graph.WaitForCycle;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.ReportedDeadlock;
import io.lockscope.model.Snapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Threads that wait for each other in a ring, across monitors and ownable synchronizers. One
 * finding per ring; the same ring seen in several snapshots of a JVM is one finding with
 * evidence from each.
 */
@RuleMeta(
        id = "deadlock",
        summary = "Threads wait for each other in a cycle and none of them can go on",
        severity = Severity.ERROR,
        needs = {Input.OWNERS_AND_WAITERS, Input.REPORTED_DEADLOCK},
        hint = Deadlock.HINT)
public final class Deadlock implements Rule {

    static final String HINT = "Take these locks in one global order everywhere they are nested, "
            + "or replace the inner acquisition with tryLock(timeout) and back off. The frames above "
            + "show where each thread took the lock it holds and where it waits for the next.";

    @Override
    public RuleResult check(RuleContext context) {
        Map<String, RingSeen> rings = new LinkedHashMap<>();
        for (Snapshot snapshot : context.snapshots()) {
            LockGraph graph = context.graph(snapshot);
            List<ReportedDeadlock> unmatched = new ArrayList<>(snapshot.reportedDeadlocks());
            for (WaitForCycle cycle : graph.cycles()) {
                String key = cycle.members().stream().map(i -> graph.thread(i).identityKey())
                        .collect(Collectors.toCollection(TreeSet::new)).toString();
                List<Integer> behind = graph.blockedBehind(cycle.members());
                RingSeen ring = rings.computeIfAbsent(key, k -> new RingSeen());
                ring.record(graph, cycle, behind);
                matchReported(graph, cycle, behind, unmatched).ifPresent(r -> {
                    unmatched.remove(r);
                    ring.reported(snapshot, r);
                });
            }
            // The JVM saw a ring our graph did not: still a deadlock, on the JVM's own word.
            for (ReportedDeadlock r : unmatched) {
                String key = "reported:" + new TreeSet<>(r.threadNames());
                rings.computeIfAbsent(key, k -> new RingSeen()).reportedOnly(snapshot, r);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (RingSeen ring : rings.values()) {
            findings.add(ring.toFinding(context));
        }
        findings.addAll(likely(context, rings.keySet()));
        return RuleResult.of(findings);
    }

    /**
     * Rings that owners the dumps do not show would close (see {@link HiddenOwners}), other than
     * rings found for certain: a warning that names the guessed links and what capture would make
     * the ring certain.
     */
    private static List<Finding> likely(RuleContext context, Set<String> certain) {
        Map<String, Likely> found = new LinkedHashMap<>();
        for (Snapshot snapshot : context.snapshots()) {
            LockGraph graph = context.graph(snapshot);
            for (HiddenOwners.LikelyRing r : HiddenOwners.likelyRings(graph)) {
                String key = r.threads().stream().map(i -> graph.thread(i).identityKey())
                        .collect(Collectors.toCollection(TreeSet::new)).toString();
                if (certain.contains(key)) {
                    continue;
                }
                found.computeIfAbsent(key, k -> new Likely(graph, r)).seen(graph, r);
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Likely l : found.values()) {
            out.add(l.toFinding(context));
        }
        return out;
    }

    /** One likely ring, over the dumps it was seen in. */
    private static final class Likely {
        final List<String> ring = new ArrayList<>();
        final List<LockRef> locks = new ArrayList<>();
        final List<String> guesses = new ArrayList<>();
        final Set<io.lockscope.model.LockKind> hiddenKinds = new LinkedHashSet<>();
        final List<Evidence> evidence = new ArrayList<>();
        final Set<String> snapshots = new LinkedHashSet<>();
        final String fingerprint;

        Likely(LockGraph g, HiddenOwners.LikelyRing r) {
            for (int i = 0; i < r.threads().size(); i++) {
                int next = r.threads().get((i + 1) % r.threads().size());
                Wait w = r.waits().get(i);
                ring.add(display(g, r.threads().get(i)));
                locks.add(w.lock());
                if (!r.shown().get(i)) {
                    hiddenKinds.add(w.kind());
                    guesses.add("\"" + g.thread(next).name() + "\" likely holds " + w.lock() + ", which \""
                            + g.thread(w.thread()).name() + "\" waits for: " + HiddenOwners.whatIsHidden(w.kind())
                            + ", and it is the one blocked thread running " + askedFrom(g.thread(next), w)
                            + ", where the lock is taken");
                }
            }
            fingerprint = "deadlock|likely|" + r.threads().stream()
                    .map(i -> Fingerprints.threadPattern(g.thread(i).name()) + "@" + Fingerprints.topFrame(g.thread(i)))
                    .sorted().collect(Collectors.joining(","))
                    + "|" + locks.stream().map(LockRef::className).sorted().collect(Collectors.joining(","));
        }

        /** The method the waiter asks for the lock from, if the guessed owner runs it too; else its class. */
        private static String askedFrom(JvmThread owner, Wait w) {
            if (w.frame().isEmpty()) {
                return "code of ?";
            }
            Frame asks = w.frame().get();
            return owner.frames().stream().anyMatch(f -> f.method().equals(asks.method()))
                    ? asks.method() : "code of " + asks.className();
        }

        void seen(LockGraph g, HiddenOwners.LikelyRing r) {
            if (!snapshots.add(g.snapshot().label()) || snapshots.size() > Prose.DUMPS_OF_A_LIKELY_RING) {
                return;
            }
            for (int i = 0; i < r.threads().size(); i++) {
                int next = r.threads().get((i + 1) % r.threads().size());
                evidence.add(Evidences.waits(g, r.waits().get(i),
                        r.shown().get(i) ? Optional.of(g.thread(next)) : Optional.empty(), true));
            }
        }

        Finding toFinding(RuleContext context) {
            return context.finding(new LikelyRing(List.copyOf(ring), List.copyOf(locks), List.copyOf(guesses),
                    Set.copyOf(hiddenKinds), snapshots.size()), List.copyOf(ring), dedupe(locks), evidence, fingerprint);
        }
    }

    /**
     * A ring of which the dumps show some links and not others: {@code guesses} says, for each
     * owner not shown, why that thread likely holds the lock; {@code hiddenKinds}, of which kinds
     * those locks are, says what capture would make it certain.
     */
    record LikelyRing(List<String> ring, List<LockRef> locks, List<String> guesses, Set<io.lockscope.model.LockKind> hiddenKinds,
            int dumps) implements Problem.Warning {

        @Override
        public String title() {
            List<String> shown = new ArrayList<>(ring);
            shown.add(ring.get(0));
            return "Likely deadlock among " + ring.size() + " threads on " + lockWords(locks) + ": "
                    + String.join(" → ", shown) + " (" + guesses.size() + (guesses.size() == 1 ? " owner" : " owners")
                    + " not shown)" + (dumps > 1 ? " (in " + dumps + " dumps)" : "");
        }

        @Override
        public String detail() {
            String capture = hiddenKinds.contains(io.lockscope.model.LockKind.EXCLUSIVE)
                    ? "A thread dump with owners (jcmd <pid> Thread.print -l, or jstack -l) shows the owners of exclusive locks"
                    : "";
            if (hiddenKinds.contains(io.lockscope.model.LockKind.READ_WRITE)) {
                capture += (capture.isEmpty() ? "A" : "; a") + " heap dump (jcmd <pid> GC.heap_dump) shows who holds a read lock";
            }
            return "The dumps show some links of this ring and not others. " + String.join(". ", guesses) + ". "
                    + "If so, none of these threads can go on. " + capture + ": take one while the threads are still stuck "
                    + "to make it certain.";
        }

        @Override
        public Certainty certainty() {
            return Certainty.LIKELY;
        }
    }

    /**
     * A ring of threads each waiting for a lock the next one holds ({@code members}: every thread
     * in it, {@code behind}: threads blocked behind it), found in the dumps' stacks, or
     * ({@code detected} false) only reported by the JVM.
     */
    record Ring(List<String> ring, List<LockRef> locks, List<String> members, List<String> behind, int dumps,
            boolean detected, boolean stacksKept) implements Problem {

        @Override
        public String title() {
            List<String> shown = new ArrayList<>(ring);
            shown.add(ring.get(0));
            StringBuilder title = new StringBuilder("Deadlock among ").append(members.size()).append(" threads on ")
                    .append(lockWords(locks)).append(": ").append(String.join(" → ", shown));
            if (!behind.isEmpty()) {
                title.append("; ").append(behind.size()).append(behind.size() == 1 ? " more thread" : " more threads")
                        .append(" blocked behind it");
            }
            if (dumps > 1) {
                title.append(" (in ").append(dumps).append(" dumps)");
            }
            if (!detected) {
                title.append(" (reported by the JVM)");
            }
            return title.toString();
        }

        @Override
        public String detail() {
            return detected ? "" : !stacksKept ? "Only HotSpot's report of this deadlock was kept, without the "
                    + "threads' stacks: where each thread took its lock, and what waits behind them, is not in it."
                    : "HotSpot printed this deadlock, but the stacks in the dump "
                    + "do not show who holds the locks (a dump taken without -l).";
        }

        @Override
        public Basis basis() {
            return detected ? Basis.THREAD_DUMPS : Basis.JVM_DEADLOCK_REPORT;
        }
    }

    /**
     * The JVM's own report of this ring, if it printed one. HotSpot lists each thread from which it
     * reached the ring, so its list holds the ring and maybe threads blocked behind it.
     */
    static Optional<ReportedDeadlock> matchReported(LockGraph graph, WaitForCycle cycle, List<Integer> behind,
            List<ReportedDeadlock> reported) {
        Set<String> ring = cycle.threads().stream().map(i -> graph.thread(i).name()).collect(Collectors.toSet());
        Set<String> involved = new HashSet<>(ring);
        cycle.members().forEach(i -> involved.add(graph.thread(i).name()));
        behind.forEach(i -> involved.add(graph.thread(i).name()));
        Set<String> ringLocks = cycle.waits().stream().map(w -> normalize(w.lock().id())).collect(Collectors.toSet());
        for (ReportedDeadlock r : reported) {
            Set<String> names = new HashSet<>(r.threadNames());
            Set<String> locks = r.links().stream().map(l -> normalize(l.lock().id())).collect(Collectors.toSet());
            if (names.containsAll(ring) && involved.containsAll(names) && locks.containsAll(ringLocks)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Addresses as printed vary in width ({@code 0x65050878} vs {@code 0x0000000065050878}). */
    static String normalize(String address) {
        String s = address.toLowerCase(Locale.ROOT);
        if (s.startsWith("0x")) {
            s = s.substring(2);
        }
        return s.replaceFirst("^0+(?=.)", "");
    }

    /** One ring, accumulated over the snapshots it was seen in. */
    private static final class RingSeen {
        final List<String> ring = new ArrayList<>();
        final List<LockRef> locks = new ArrayList<>();
        final List<String> members = new ArrayList<>();
        final Set<String> behind = new LinkedHashSet<>();
        final List<Evidence> evidence = new ArrayList<>();
        final Set<String> snapshots = new LinkedHashSet<>();
        String fingerprint;
        boolean detected;
        boolean stacksKept;

        void record(LockGraph graph, WaitForCycle cycle, List<Integer> blocked) {
            Snapshot snapshot = graph.snapshot();
            snapshots.add(snapshot.label());
            if (ring.isEmpty()) {
                for (int i = 0; i < cycle.threads().size(); i++) {
                    ring.add(display(graph, cycle.threads().get(i)));
                    locks.add(cycle.waits().get(i).lock());
                }
                for (int m : cycle.members()) {
                    members.add(graph.thread(m).name());
                }
                fingerprint = "deadlock|" + cycle.members().stream()
                        .map(i -> Fingerprints.threadPattern(graph.thread(i).name()) + "@" + Fingerprints.topFrame(graph.thread(i)))
                        .sorted().collect(Collectors.joining(","))
                        + "|" + locks.stream().map(LockRef::className).sorted().collect(Collectors.joining(","));
            }
            detected = true;
            for (int b : blocked) {
                behind.add(graph.thread(b).name());
            }
            List<Integer> waiting = new ArrayList<>(cycle.threads());
            cycle.members().stream().filter(m -> !waiting.contains(m)).forEach(waiting::add);
            waiting.addAll(blocked);
            for (int t : waiting) {
                for (Wait w : graph.waitsOf(t)) {
                    for (Hold h : graph.holdersOf(w.lock().id())) {
                        if (h.thread() != t) {
                            evidence.add(Evidences.waits(graph, w, Optional.of(graph.thread(h.thread())), true));
                            evidence.add(Evidences.holds(graph, h, false));
                        }
                    }
                }
            }
        }

        void reported(Snapshot snapshot, ReportedDeadlock r) {
            for (ReportedDeadlock.Link link : r.links()) {
                evidence.add(new Evidence(Evidence.Kind.REPORTED_BY_JVM, snapshot.label(), r.at(),
                        Optional.of(link.thread()), Optional.of(link.lock()), Optional.empty(),
                        Optional.of(link.heldBy()), List.of()));
            }
        }

        void reportedOnly(Snapshot snapshot, ReportedDeadlock r) {
            snapshots.add(snapshot.label());
            stacksKept |= !snapshot.threads().isEmpty();
            if (ring.isEmpty()) {
                for (ReportedDeadlock.Link link : r.ring()) {
                    ring.add(link.thread());
                    members.add(link.thread());
                    locks.add(link.lock());
                }
                behind.addAll(r.leadIn());
                fingerprint = "deadlock|" + members.stream().map(Fingerprints::threadPattern).sorted()
                        .collect(Collectors.joining(","))
                        + "|" + locks.stream().map(LockRef::className).sorted().collect(Collectors.joining(","));
            }
            reported(snapshot, r);
        }

        Finding toFinding(RuleContext context) {
            List<String> threads = new ArrayList<>(members);
            threads.addAll(behind);
            return context.finding(new Ring(List.copyOf(ring), List.copyOf(locks), List.copyOf(members), List.copyOf(behind),
                    snapshots.size(), detected, stacksKept), threads, dedupe(locks), evidence, fingerprint);
        }
    }

    /** "monitors", "java.util.concurrent locks", "class initialization", or a mixture of them. */
    static String lockWords(List<LockRef> locks) {
        Set<String> kinds = new LinkedHashSet<>();
        for (LockRef l : locks) {
            if (l.isClassInit()) {
                kinds.add("class initialization");
            } else if (l.className().startsWith("java.util.concurrent")) {
                kinds.add("java.util.concurrent locks");
            } else {
                kinds.add("monitors");
            }
        }
        List<String> order = new ArrayList<>();
        for (String k : List.of("monitors", "java.util.concurrent locks", "class initialization")) {
            if (kinds.contains(k)) {
                order.add(k);
            }
        }
        return String.join(" and ", order);
    }

    /** A thread's name, made unique with its id or address when another thread has the same name. */
    static String display(LockGraph graph, int index) {
        JvmThread t = graph.thread(index);
        long same = graph.snapshot().threads().stream().filter(o -> o.name().equals(t.name())).count();
        if (same < 2) {
            return t.name();
        }
        if (t.javaId().isPresent()) {
            return t.name() + " #" + t.javaId().getAsLong();
        }
        return t.address().map(a -> t.name() + " (tid=" + a + ")").orElse(t.name());
    }

    private static List<LockRef> dedupe(List<LockRef> locks) {
        Map<String, LockRef> byId = new LinkedHashMap<>();
        for (LockRef l : locks) {
            byId.putIfAbsent(l.id(), l);
        }
        return List.copyOf(byId.values());
    }

    static List<String> stackOf(JvmThread t) {
        return stackOf(t, 12);
    }

    static List<String> stackOf(JvmThread t, int maxLines) {
        List<String> out = new ArrayList<>();
        for (var f : t.frames()) {
            if (out.size() >= maxLines) {
                break;
            }
            out.add("at " + f.text());
            for (var a : f.locks()) {
                out.add("- " + a.kind().text() + " " + a.lock());
            }
        }
        return out;
    }
}
