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
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockKind;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
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
        for (Snapshot s : listed) {
            LockGraph g = context.graph(s);
            Map<String, List<Wait>> byLock = new LinkedHashMap<>();
            for (Wait w : g.waits()) {
                if ((w.kind() == LockKind.EXCLUSIVE || w.kind() == LockKind.READ_WRITE) && g.holdersOf(w.lock().id()).isEmpty()) {
                    byLock.computeIfAbsent(w.lock().id(), k -> new ArrayList<>()).add(w);
                }
            }
            for (List<Wait> waits : byLock.values()) {
                Wait first = waits.get(0);
                Orphan o = orphans.computeIfAbsent(first.lock().className() + "@" + first.lock().id(),
                        k -> new Orphan(first.lock(), first.kind()));
                o.add(g, waits);
            }
        }
        boolean mayHideVirtualOwners = context.snapshots().stream().anyMatch(OrphanedLock::mayHaveVirtualThreads);
        List<Finding> findings = new ArrayList<>();
        for (Orphan o : orphans.values()) {
            findings.add(o.toFinding(context.jvm().id(), listed.size(), mayHideVirtualOwners));
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

        Orphan(LockRef lock, LockKind kind) {
            this.lock = lock;
            this.kind = kind;
        }

        void add(LockGraph g, List<Wait> waits) {
            snapshots.add(g.snapshot().label());
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
            StringBuilder title = new StringBuilder();
            title.append(what).append(readWrite ? " has no visible owner; " : " has no live owner; ")
                    .append(waiters.size()).append(waiters.size() == 1 ? " thread waits" : " threads wait")
                    .append(" for it: ").append(String.join(", ", limit(waiters, 5)));
            if (snapshots.size() > 1) {
                title.append(" (in ").append(snapshots.size()).append(" of ").append(listedDumps).append(" dumps)");
            }
            List<String> why = new ArrayList<>();
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
            if (snapshots.size() == 1) {
                why.add("Seen in one dump only: a lock released an instant before the dump looks the same; a second dump "
                        + "some seconds later tells them apart.");
            }
            List<Evidence> all = new ArrayList<>(evidence);
            String fingerprint = "orphaned-lock|" + lock.className() + "|" + String.join(",", waiterPatterns);
            return new Finding("orphaned-lock", readWrite ? Severity.WARNING : Severity.ERROR, title.toString(), jvm,
                    List.copyOf(waiters), List.of(lock), all, String.join(" ", why), HINT, fingerprint);
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
