package io.lockscope.rules;

import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Owners a dump does not show, and the rings they would close. A JSON thread dump and a dump taken
 * without -l never name the owner of a java.util.concurrent lock; no thread dump ever names the
 * readers of a ReentrantReadWriteLock (nor the holders of a StampedLock, which are not guessed at:
 * a stamp is a number, passed around). For a thread waiting on
 * such a lock, the likely holders are the other blocked threads that are in the code the lock is
 * taken from: a frame of the class whose method asked for the lock. When those candidates close a
 * ring with the waits the dump does show, that ring is a likely deadlock.
 */
final class HiddenOwners {

    private HiddenOwners() {
    }

    /** A ring some of whose links are guesses: the threads in order, and for each link the wait and whether it is shown. */
    record LikelyRing(List<Integer> threads, List<Wait> waits, List<Boolean> shown) {
    }

    /**
     * Waits for an exclusive or read/write lock that no thread of the dump holds, by lock: the
     * locks whose owner is dead, hidden, or gone; what the orphan and leak inferences start from.
     * A lock a thread is leaving its park for is being handed over, and is none of these.
     */
    static Map<String, List<Wait>> unheldWaits(LockGraph g) {
        Map<String, List<Wait>> byLock = new LinkedHashMap<>();
        for (Wait w : g.waits()) {
            if ((w.kind() == LockKind.EXCLUSIVE || w.kind() == LockKind.READ_WRITE) && g.holdersOf(w.lock().id()).isEmpty()
                    && !g.handedOver(w.lock().id())) {
                byLock.computeIfAbsent(w.lock().id(), k -> new ArrayList<>()).add(w);
            }
        }
        return byLock;
    }

    /** Whether the dump could have named this wait's owner: if it could and did not, nobody holds the lock. */
    static boolean ownerHidden(LockGraph g, Wait w) {
        if (!g.holdersOf(w.lock().id()).isEmpty()) {
            return false;
        }
        return switch (w.kind()) {
            case READ_WRITE -> true; // readers are never shown
            case EXCLUSIVE -> !g.snapshot().synchronizerOwners().shown();
            // a StampedLock's stamps are passed around as numbers, held by code far from where they were
            // taken: the class that asks for it says too little about who holds one to guess
            default -> false;
        };
    }

    /**
     * The blocked threads other than the waiter that may hold the lock it waits for, and are not
     * waiting for it themselves: those in a method its waiters ask for it from, or, when no thread
     * is, those with a frame in the class the waiter asks for it from. The method comes first
     * because one class often runs unrelated work (a service's lambdas, a scenario's threads): a
     * thread elsewhere in that class that waits for some other lock is no better a guess than any.
     */
    static List<Integer> candidates(LockGraph g, Wait w, Set<Integer> blocked) {
        if (w.frame().isEmpty() || Frame.isJdkClass(w.frame().get().className())) {
            return List.of();
        }
        String code = w.frame().get().className();
        Set<String> methods = new HashSet<>();
        for (Wait x : g.waitersFor(w.lock().id())) {
            x.frame().filter(f -> f.className().equals(code)).ifPresent(f -> methods.add(f.method()));
        }
        List<Integer> inMethod = new ArrayList<>();
        List<Integer> inClass = new ArrayList<>();
        for (int t : blocked) {
            if (t == w.thread() || g.waitsOf(t).stream().anyMatch(x -> x.lock().id().equals(w.lock().id()))) {
                continue;
            }
            JvmThread thread = g.thread(t);
            if (thread.frames().stream().anyMatch(f -> methods.contains(f.method()))) {
                inMethod.add(t);
            } else if (thread.frames().stream().anyMatch(f -> f.className().equals(code))) {
                inClass.add(t);
            }
        }
        return inMethod.isEmpty() ? inClass : inMethod;
    }

    /** Rings that candidates for hidden owners close, each once, shortest first. */
    static List<LikelyRing> likelyRings(LockGraph g) {
        Set<Integer> blocked = new TreeSet<>();
        for (Wait w : g.waits()) {
            if (g.thread(w.thread()).alive()) {
                blocked.add(w.thread());
            }
        }
        // edges: shown ones (the lock's holders) and guessed ones (candidates for a hidden owner), by waiting thread
        Map<Integer, List<Edge>> edges = new LinkedHashMap<>();
        boolean anyGuess = false;
        for (Wait w : g.waits()) {
            if (!blocked.contains(w.thread())) {
                continue;
            }
            for (Hold h : g.holdersOf(w.lock().id())) {
                if (h.thread() != w.thread() && blocked.contains(h.thread())) {
                    edges.computeIfAbsent(w.thread(), k -> new ArrayList<>()).add(new Edge(h.thread(), w, true));
                }
            }
            // a lock caught being handed over has no owner to hide: it was released an instant ago
            if (ownerHidden(g, w) && !g.handedOver(w.lock().id())) {
                for (int c : candidates(g, w, blocked)) {
                    edges.computeIfAbsent(w.thread(), k -> new ArrayList<>()).add(new Edge(c, w, false));
                    anyGuess = true;
                }
            }
        }
        if (!anyGuess) {
            return List.of();
        }
        Map<Set<Integer>, LikelyRing> found = new LinkedHashMap<>();
        for (int start : blocked) {
            search(start, start, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), edges, found);
        }
        List<LikelyRing> out = new ArrayList<>(found.values());
        if (g.snapshot().deadlockSearch().shown()) {
            // the JVM searched, and would have printed this ring had it been one
            out.removeIf(r -> r.waits().stream().allMatch(w -> jvmFollows(g, w)));
        }
        out.sort(java.util.Comparator.comparingInt(r -> r.threads().size()));
        return out;
    }

    /**
     * Whether the JVM's own deadlock search follows this wait to the lock's owner: a monitor's, and
     * the exclusive owner of a java.util.concurrent lock (its exclusiveOwnerThread), whether or not
     * the dump lists it. A thread that asks for a read lock waits for a writer, which is that
     * exclusive owner (or for a queued writer, whose own wait for the readers no search follows).
     */
    static boolean jvmFollows(LockGraph g, Wait w) {
        return switch (w.kind()) {
            case MONITOR, EXCLUSIVE -> true;
            case READ_WRITE -> asksForReadLock(g, w);
            default -> false;
        };
    }

    /** Whether the thread asks for the read lock of a ReentrantReadWriteLock: its stack passes through ReadLock on the way. */
    static boolean asksForReadLock(LockGraph g, Wait w) {
        for (Frame f : g.thread(w.thread()).frames()) {
            if (f.className().equals("java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock")) {
                return true;
            }
            if (w.frame().filter(caller -> caller == f).isPresent()) {
                return false; // the code that asked for the lock: below it, nothing about this wait
            }
        }
        return false;
    }

    private static final int MAX_RING = 8;

    /** A thread's wait ({@code via}), to a thread that holds the lock ({@code shown}) or may hold it unseen. */
    private record Edge(int to, Wait via, boolean shown) {
    }

    private static void search(int start, int at, List<Integer> path, List<Wait> waits, List<Boolean> shown,
            Map<Integer, List<Edge>> edges, Map<Set<Integer>, LikelyRing> found) {
        if (path.size() >= MAX_RING) {
            return;
        }
        path.add(at);
        for (Edge e : edges.getOrDefault(at, List.of())) {
            int to = e.to();
            waits.add(e.via());
            shown.add(e.shown());
            if (to == start) {
                Set<Integer> members = new TreeSet<>(path);
                // only rings that need a guess (the others are certain, and the deadlock rule's own), each once
                if (shown.contains(false) && start == members.iterator().next() && !found.containsKey(members)) {
                    found.put(members, new LikelyRing(List.copyOf(path), List.copyOf(waits), List.copyOf(shown)));
                }
            } else if (!path.contains(to) && to > start) {
                search(start, to, path, waits, shown, edges, found);
            }
            waits.remove(waits.size() - 1);
            shown.remove(shown.size() - 1);
        }
        path.remove(path.size() - 1);
    }

    /** Names of the kinds whose owners thread dumps never show, for a sentence. */
    static String whatIsHidden(LockKind kind) {
        return switch (kind) {
            case READ_WRITE -> "no thread dump names the readers of a ReentrantReadWriteLock";
            default -> "this dump does not name owners of java.util.concurrent locks";
        };
    }

    static Set<Integer> members(LikelyRing r) {
        return new LinkedHashSet<>(r.threads());
    }
}
