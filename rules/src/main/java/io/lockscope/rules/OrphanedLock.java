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
import io.lockscope.model.LockKind;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SynchronizerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A java.util.concurrent lock that threads wait for while no live thread owns it, in a dump that
 * lists every owner ({@code -l}). Its owner ended without unlocking, or is a virtual thread that
 * jstack does not list. Monitors cannot be orphaned: the JVM releases them when a thread dies.
 */
@RuleMeta(
        id = "orphaned-lock",
        summary = "Threads wait for a lock that no live thread owns: its owner died holding it",
        severity = Severity.ERROR,
        needs = {Input.SYNCHRONIZER_OWNERS, Input.RECORDING},
        hint = OrphanedLock.HINT)
public final class OrphanedLock implements Rule {

    static final String HINT = "Release the lock in a finally block on every path: lock(); try { ... } finally "
            + "{ unlock(); }. An exception between lock() and unlock() ends the task, or the thread, with "
            + "the lock held. A heap dump (jcmd <pid> GC.heap_dump) names the dead owner through the "
            + "lock's exclusiveOwnerThread; a JFR recording with jdk.JavaExceptionThrow shows how it died.";

    @Override
    public RuleResult check(RuleContext context) {
        List<Snapshot> listed = context.snapshots().stream().filter(s -> s.synchronizerOwners().shown()).toList();
        List<Death> deaths = deaths(context);
        if (listed.isEmpty() && deaths.isEmpty()) {
            return RuleResult.notApplicable("needs " + Input.SYNCHRONIZER_OWNERS.description()
                    + ", or a JFR recording with jdk.JavaExceptionThrow; this JVM's recording shows no thread that died "
                    + "after an exception");
        }
        if (listed.isEmpty()) {
            return RuleResult.of(inferred(context, deaths));
        }
        Map<String, Orphan> orphans = new LinkedHashMap<>();
        Set<String> liveHeldSomewhere = new java.util.HashSet<>();
        for (int k = 0; k < listed.size(); k++) {
            Snapshot s = listed.get(k);
            LockGraph g = context.graph(s);
            Map<String, List<Wait>> byLock = new LinkedHashMap<>();
            for (Wait w : g.waits()) {
                if (w.kind() == LockKind.EXCLUSIVE || w.kind() == LockKind.READ_WRITE) {
                    byLock.computeIfAbsent(w.lock().id(), x -> new ArrayList<>()).add(w);
                }
            }
            for (List<Wait> waits : byLock.values()) {
                Wait first = waits.get(0);
                List<Hold> holders = g.holdersOf(first.lock().id());
                // joined across dumps by class and waiters: a heap dump taken after a full GC may have moved the lock
                String key = first.lock().className() + "|" + waits.stream().map(w -> g.thread(w.thread()).identityKey())
                        .sorted().collect(Collectors.joining(","));
                if (holders.stream().anyMatch(h -> g.thread(h.thread()).alive())) {
                    liveHeldSomewhere.add(key); // a live owner: not orphaned (maybe leaked, or just slow)
                    continue;
                }
                if (holders.isEmpty() && first.kind() == LockKind.READ_WRITE && hiddenReaderLikely(g, waits)) {
                    continue; // a blocked thread in the code that takes the lock likely reads it: see the deadlock rule
                }
                if (holders.isEmpty() && g.handedOver(first.lock().id())) {
                    continue; // a waiter that runs, or a thread inside its unlock: it is being handed over
                }
                if (holders.isEmpty() && k + 1 < listed.size()
                        && HandOff.releasedBy(context.graph(listed.get(k + 1)), g, first.lock(), waits)) {
                    continue; // the next dump shows it owned, or a waiter gone on or woken: it was released, not orphaned
                }
                Optional<SynchronizerState> heap = s.synchronizers().stream()
                        .filter(x -> x.lock().id().equals(first.lock().id())).findFirst();
                Orphan o = orphans.computeIfAbsent(key, x -> new Orphan(first.lock(), first.kind()));
                if (o.snapshots.isEmpty() && k > 0) {
                    o.since = Optional.of(HandOff.since(context.graph(listed.get(k - 1)), g));
                } else if (o.snapshots.isEmpty() && first.kind() != LockKind.READ_WRITE) {
                    // no dump before it: the thread ids alone may show that no thread ever ended (a read/write
                    // lock with no owner shown is more likely held by a reader, which dumps never show)
                    o.since = HandOff.sinceStart(g);
                }
                if (o.snapshots.isEmpty() && first.kind() != LockKind.READ_WRITE) {
                    o.passed = HandOff.passedRecently(g, waits, context.threshold(PASSED_WITHIN_MS));
                }
                o.add(g, waits, holders, heap);
            }
        }
        boolean mayHideVirtualOwners = context.snapshots().stream().anyMatch(OrphanedLock::mayHaveVirtualThreads);
        List<Finding> findings = new io.lockscope.engine.Findings();
        for (Map.Entry<String, Orphan> e : orphans.entrySet()) {
            // a heap dump of the same JVM that shows a live holder (a reader, whom thread dumps never show) settles it
            if (liveHeldSomewhere.contains(e.getKey()) && e.getValue().deadHolders.isEmpty()) {
                continue;
            }
            Orphan o = e.getValue();
            if (o.deadHolders.isEmpty()) {
                o.likely = likelyOwners(deaths, o.waiterClasses);
            }
            findings.add(o.toFinding(context, listed.size(), mayHideVirtualOwners));
        }
        return RuleResult.of(findings);
    }

    static final io.lockscope.engine.Threshold DEATH_WINDOW_MS = io.lockscope.engine.Threshold.of("death-window-ms",
            "how soon after its last exception a thread must have ended to count as having died of it", "milliseconds", 2000);

    static final io.lockscope.engine.Threshold PASSED_WITHIN_MS = io.lockscope.engine.Threshold.of("passed-within-ms",
            "how young a thread already past the waiters' lock call must be to show, in one dump, that the lock changed hands "
                    + "an instant ago", "milliseconds", 1000);

    @Override
    public List<io.lockscope.engine.Threshold> thresholds() {
        return List.of(DEATH_WINDOW_MS, PASSED_WITHIN_MS);
    }

    /** Whether a live, blocked thread in the code the waiters take the lock from may be a reader no dump shows. */
    private static boolean hiddenReaderLikely(LockGraph g, List<Wait> waits) {
        Set<Integer> blocked = new java.util.TreeSet<>();
        g.waits().forEach(w -> blocked.add(w.thread()));
        return waits.stream().anyMatch(w -> !HiddenOwners.candidates(g, w, blocked).isEmpty());
    }

    /** A thread that ended shortly after throwing, per a recording: the exception most likely ended it. */
    record Death(String thread, long javaId, java.time.Instant ended, io.lockscope.model.Recording.ThrownException exception,
            Set<String> classes, String recording, io.lockscope.model.SourceRef at) {
    }

    static List<Death> deaths(RuleContext context) {
        long window = context.threshold(DEATH_WINDOW_MS);
        List<Death> out = new ArrayList<>();
        for (io.lockscope.model.Recording r : context.jvm().recordings()) {
            for (io.lockscope.model.Recording.ThreadLife life : r.threads()) {
                if (life.ended().isEmpty()) {
                    continue;
                }
                for (io.lockscope.model.Recording.ThrownException x : r.exceptions()) {
                    long gap = java.time.Duration.between(x.time(), life.ended().get()).toMillis();
                    if (x.threadId() == life.javaId() && gap >= 0 && gap <= window) {
                        out.add(new Death(life.name(), life.javaId(), life.ended().get(), x, codeClasses(x.stack()), r.label(), r.at()));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The classes of the application in a stack, as named (a nested class is its own): the code a
     * thread was running, compared with the class each waiter locks from, never just the outermost
     * class, which a whole program may share.
     */
    static Set<String> codeClasses(List<io.lockscope.model.Frame> stack) {
        Set<String> out = new LinkedHashSet<>();
        for (io.lockscope.model.Frame f : stack) {
            if (!Frame.isJdkClass(f.className()) && !f.className().contains("$$Lambda")) {
                out.add(f.className());
            }
        }
        return out;
    }

    static List<Death> likelyOwners(List<Death> deaths, Set<String> waiterClasses) {
        return deaths.stream().filter(d -> d.classes().stream().anyMatch(waiterClasses::contains)).toList();
    }

    /**
     * Without a dump that lists owners, a recording can still point at the likely owner: threads
     * parked on an exclusive lock whose owner no dump shows, and a thread that died after an
     * exception in the same code. Worded as the inference it is.
     */
    private List<Finding> inferred(RuleContext context, List<Death> deaths) {
        Map<String, Orphan> orphans = new LinkedHashMap<>();
        for (Snapshot s : context.snapshots()) {
            LockGraph g = context.graph(s);
            Map<String, List<Wait>> byLock = HiddenOwners.unheldWaits(g);
            for (List<Wait> waits : byLock.values()) {
                Wait first = waits.get(0);
                String key = first.lock().className() + "|" + waits.stream().map(w -> g.thread(w.thread()).identityKey())
                        .sorted().collect(Collectors.joining(","));
                Orphan o = orphans.computeIfAbsent(key, k -> new Orphan(first.lock(), first.kind()));
                o.add(g, waits, List.of(), Optional.empty());
            }
        }
        List<Finding> out = new io.lockscope.engine.Findings();
        for (Orphan o : orphans.values()) {
            o.likely = likelyOwners(deaths, o.waiterClasses);
            if (!o.likely.isEmpty()) {
                o.inferredOnly = true;
                out.add(o.toFinding(context, context.snapshots().size(), false));
            }
        }
        return out;
    }

    /** JDK 21 and later may run virtual threads, which jstack lists only while they are mounted. */
    static boolean mayHaveVirtualThreads(Snapshot s) {
        Optional<String> v = s.jvm().vmVersion();
        if (v.isEmpty()) {
            return true;
        }
        String version = v.get().substring(v.get().lastIndexOf(' ') + 1);
        String feature = version.split("[.+-]")[0];
        try {
            return Integer.parseInt(feature) >= 21;
        } catch (NumberFormatException e) {
            return !version.startsWith("1.");
        }
    }

    private static final class Orphan {
        final LockRef lock;
        final LockKind kind;
        final Set<String> waiters = new LinkedHashSet<>();
        final Set<String> snapshots = new LinkedHashSet<>();
        final List<Evidence> evidence = new ArrayList<>();
        final Set<String> waiterPatterns = new java.util.TreeSet<>();
        /** Dead holders a heap dump or a ThreadInfo rendering names, with the sentence that says how it shows them. */
        final Map<String, String> deadHolders = new LinkedHashMap<>();
        long unaccountedReads;
        boolean fromHeap;
        final Set<String> waiterClasses = new LinkedHashSet<>();
        List<Death> likely = List.of();
        boolean inferredOnly;
        /** What changed since the dump before the first that shows it, if there is one. */
        Optional<HandOff.Since> since = Optional.empty();
        /** A young thread already past the waiters' lock call, in the first dump that shows it. */
        Optional<HandOff.Passed> passed = Optional.empty();

        Orphan(LockRef lock, LockKind kind) {
            this.lock = lock;
            this.kind = kind;
        }

        void add(LockGraph g, List<Wait> waits, List<Hold> deadHolds, Optional<SynchronizerState> heap) {
            snapshots.add(g.snapshot().label());
            for (Hold h : deadHolds) {
                JvmThread t = g.thread(h.thread());
                String why;
                if (heap.isPresent()) {
                    SynchronizerState st = heap.get();
                    String how = st.owner().filter(o -> o == h.thread()).isPresent() ? "its exclusive owner"
                            : st.readers().stream().filter(r -> r.thread() == h.thread()).findFirst()
                                    .map(r -> "a reader (" + r.source() + ", " + r.count() + (r.count() == 1 ? " hold)" : " holds)"))
                                    .orElse("a holder");
                    why = "The heap dump shows " + how + " is " + t.label()
                            + ", a terminated thread: it ended without unlocking, and nothing can unlock for it.";
                } else {
                    // a ThreadInfo rendering (the actuator's) names the owner of a parked thread's lock, alive or not
                    why = g.snapshot().label() + " names " + t.label() + " as the owner of the lock its waiters are parked on "
                            + "(the lock's exclusiveOwnerThread) and does not list that thread among its own: it ended without "
                            + "unlocking, and nothing can unlock for it."
                            + (mayHaveVirtualThreads(g.snapshot()) ? " On JDK 21 and later it could instead be a virtual "
                                    + "thread, which ThreadMXBean does not list; a heap dump tells." : "");
                }
                deadHolders.putIfAbsent(t.label(), why);
                evidence.add(Evidences.holds(g, h, false));
            }
            heap.ifPresent(st -> {
                fromHeap = true;
                unaccountedReads = Math.max(unaccountedReads, st.unaccountedReadHolds());
            });
            for (Wait w : waits) {
                JvmThread t = g.thread(w.thread());
                waiters.add(t.name());
                w.frame().ifPresent(f -> waiterClasses.add(f.className()));
                waiterPatterns.add(Fingerprints.threadPattern(t.name()) + "@" + Fingerprints.topFrame(t));
                evidence.add(Evidences.waits(g, w, Optional.empty(), evidence.size() < 6));
            }
        }

        Finding toFinding(RuleContext context, int listedDumps, boolean virtualOwnersPossible) {
            if (deadHolders.isEmpty() && !likely.isEmpty()) {
                Death d = likely.get(0);
                evidence.add(Evidence.recorded(d.recording(), d.at(), Optional.of(d.thread()), Optional.empty(),
                        "\"" + d.thread() + "\" threw " + d.exception().exceptionClass() + " at " + d.exception().time()
                                + ", and ended at " + d.ended(),
                        Prose.stack(d.exception().stack())));
            }
            Orphaned orphaned = new Orphaned(lock, kind == LockKind.READ_WRITE, new LinkedHashMap<>(deadHolders),
                    likely.isEmpty() ? Optional.empty() : Optional.of(likely.get(0)), inferredOnly, fromHeap, unaccountedReads,
                    List.copyOf(waiters), snapshots.size(), listedDumps, virtualOwnersPossible, since, passed);
            List<String> threads = new ArrayList<>();
            deadHolders.keySet().forEach(t -> threads.add(t.replaceFirst(" #\\d+$", "")));
            likely.forEach(d -> threads.add(d.thread()));
            orphaned.endedSince().ifPresent(t -> {
                threads.add(t.name());
                evidence.add(new Evidence(Evidence.Kind.SEEN, since.get().earlier(), t.at(), Optional.of(t.name()), Optional.empty(),
                        Optional.empty(), Optional.empty(), Prose.stack(t.frames()), Optional.of("\"" + t.name() + "\" is alive in "
                        + since.get().earlier() + ", the dump before the one that shows the lock without an owner, and absent from it")));
            });
            orphaned.passedBy().ifPresent(p -> {
                threads.add(p.thread().name());
                evidence.add(new Evidence(Evidence.Kind.SEEN, p.snapshot(), p.thread().at(), Optional.of(p.thread().name()),
                        Optional.empty(), Optional.empty(), Optional.empty(), Prose.stack(p.thread().frames()), Optional.of("\""
                        + p.thread().name() + "\" started " + p.age() + " before the dump and is at " + p.past().text()
                        + ", past the waiters' lock call")));
            });
            threads.addAll(waiters);
            String fingerprint = "orphaned-lock|" + lock.className() + "|" + String.join(",", waiterPatterns);
            return context.finding(orphaned, threads, List.of(lock), evidence, fingerprint);
        }
    }
}
