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
        needs = {Input.SYNCHRONIZER_OWNERS})
public final class OrphanedLock implements Rule {

    static final String HINT = "Release the lock in a finally block on every path: lock(); try { ... } finally "
            + "{ unlock(); }. An exception between lock() and unlock() ends the task, or the thread, with "
            + "the lock held. A heap dump (jcmd <pid> GC.heap_dump) names the dead owner through the "
            + "lock's exclusiveOwnerThread; a JFR recording with jdk.JavaExceptionThrow shows how it died.";

    @Override
    public RuleResult check(RuleContext context) {
        List<Snapshot> listed = context.snapshots().stream().filter(s -> s.synchronizerOwners().shown()).toList();
        if (listed.isEmpty()) {
            return RuleResult.notApplicable("no dump of this JVM lists the owners of java.util.concurrent locks; needs "
                    + Input.SYNCHRONIZER_OWNERS.description());
        }
        Map<String, Orphan> orphans = new LinkedHashMap<>();
        Set<String> liveHeldSomewhere = new java.util.HashSet<>();
        for (Snapshot s : listed) {
            LockGraph g = context.graph(s);
            Map<String, List<Wait>> byLock = new LinkedHashMap<>();
            for (Wait w : g.waits()) {
                if (w.kind() == LockKind.EXCLUSIVE || w.kind() == LockKind.READ_WRITE) {
                    byLock.computeIfAbsent(w.lock().id(), k -> new ArrayList<>()).add(w);
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
                Optional<SynchronizerState> heap = s.synchronizers().stream()
                        .filter(x -> x.lock().id().equals(first.lock().id())).findFirst();
                Orphan o = orphans.computeIfAbsent(key, k -> new Orphan(first.lock(), first.kind()));
                o.add(g, waits, holders, heap);
            }
        }
        boolean mayHideVirtualOwners = context.snapshots().stream().anyMatch(OrphanedLock::mayHaveVirtualThreads);
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, Orphan> e : orphans.entrySet()) {
            // a heap dump of the same JVM that shows a live holder (a reader, whom thread dumps never show) settles it
            if (liveHeldSomewhere.contains(e.getKey()) && e.getValue().deadHolders.isEmpty()) {
                continue;
            }
            findings.add(e.getValue().toFinding(context.jvm().id(), listed.size(), mayHideVirtualOwners));
        }
        return RuleResult.of(findings);
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
        /** Dead holders the heap names, with how it shows them ("exclusive owner", "firstReader", ...). */
        final Map<String, String> deadHolders = new LinkedHashMap<>();
        long unaccountedReads;
        boolean fromHeap;

        Orphan(LockRef lock, LockKind kind) {
            this.lock = lock;
            this.kind = kind;
        }

        void add(LockGraph g, List<Wait> waits, List<Hold> deadHolds, Optional<SynchronizerState> heap) {
            snapshots.add(g.snapshot().label());
            for (Hold h : deadHolds) {
                JvmThread t = g.thread(h.thread());
                String how = heap.map(st -> st.owner().filter(o -> o == h.thread()).isPresent() ? "its exclusive owner"
                        : st.readers().stream().filter(r -> r.thread() == h.thread()).findFirst()
                                .map(r -> "a reader (" + r.source() + ", " + r.count() + (r.count() == 1 ? " hold)" : " holds)"))
                                .orElse("a holder")).orElse("a holder");
                deadHolders.putIfAbsent(t.label(), how);
                evidence.add(Evidences.holds(g, h, false));
            }
            heap.ifPresent(st -> {
                fromHeap = true;
                unaccountedReads = Math.max(unaccountedReads, st.unaccountedReadHolds());
            });
            for (Wait w : waits) {
                JvmThread t = g.thread(w.thread());
                waiters.add(t.name());
                waiterPatterns.add(Fingerprints.threadPattern(t.name()) + "@" + Fingerprints.topFrame(t));
                evidence.add(Evidences.waits(g, w, Optional.empty(), evidence.size() < 6));
            }
        }

        Finding toFinding(String jvm, int listedDumps, boolean virtualOwnersPossible) {
            boolean readWrite = kind == LockKind.READ_WRITE;
            String what = lock.simpleClassName() + " <" + lock.id() + ">";
            String waiting = waiters.size() + (waiters.size() == 1 ? " thread waits" : " threads wait") + ": "
                    + String.join(", ", limit(waiters, 5));
            StringBuilder title = new StringBuilder(what);
            List<String> why = new ArrayList<>();
            Severity severity;
            if (!deadHolders.isEmpty()) {
                title.append(" held by dead thread").append(deadHolders.size() > 1 ? "s " : " ")
                        .append(String.join(", ", deadHolders.keySet())).append("; ").append(waiting);
                deadHolders.forEach((t, how) -> why.add("The heap dump shows " + how + " is " + t
                        + ", a terminated thread: it ended without unlocking, and nothing can unlock for it."));
                severity = Severity.ERROR;
            } else if (readWrite && fromHeap && unaccountedReads > 0) {
                title.append(" has ").append(unaccountedReads).append(unaccountedReads == 1 ? " read hold" : " read holds")
                        .append(" no live thread accounts for; ").append(waiting);
                why.add("The lock's state counts " + unaccountedReads + " read holds that no live reader in the heap has: "
                        + "a reader that ended while reading leaves its count behind, and its thread-locals, which named it, "
                        + "are cleared when it exits.");
                severity = Severity.ERROR;
            } else {
                title.append(readWrite ? " has no visible owner; " : " has no live owner; ").append(waiting.replace(" wait: ", " wait for it: ")
                        .replace(" waits: ", " waits for it: "));
                if (readWrite) {
                    why.add("A ReentrantReadWriteLock's readers never appear in a thread dump, so the holder may be a live "
                            + "reader; or a writer that ended without unlocking.");
                } else {
                    why.add("No thread in the dump lists it under \"Locked ownable synchronizers\": the thread that locked it "
                            + "ended, or went on, without unlocking.");
                }
                if (virtualOwnersPossible) {
                    why.add("On JDK 21 and later the owner may also be an unmounted virtual thread, which jstack does not list "
                            + "(jcmd <pid> Thread.dump_to_file -format=json lists them).");
                }
                severity = readWrite ? Severity.WARNING : Severity.ERROR;
            }
            if (snapshots.size() > 1) {
                title.append(" (in ").append(snapshots.size()).append(" of ").append(listedDumps).append(" dumps)");
            } else if (deadHolders.isEmpty() && !fromHeap) {
                why.add("Seen in one dump only: a lock released an instant before the dump looks the same; a second dump "
                        + "some seconds later tells them apart.");
            }
            List<String> threads = new ArrayList<>();
            deadHolders.keySet().forEach(t -> threads.add(t.replaceFirst(" #\\d+$", "")));
            threads.addAll(waiters);
            String fingerprint = "orphaned-lock|" + lock.className() + "|" + String.join(",", waiterPatterns);
            return new Finding("orphaned-lock", severity, title.toString(), jvm, threads, List.of(lock), evidence,
                    String.join(" ", why), HINT, fingerprint);
        }
    }

    static List<String> limit(Set<String> names, int n) {
        List<String> out = names.stream().limit(n).collect(Collectors.toCollection(ArrayList::new));
        if (names.size() > n) {
            out.add("and " + (names.size() - n) + " more");
        }
        return out;
    }
}
