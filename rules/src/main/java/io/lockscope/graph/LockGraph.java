package io.lockscope.graph;

import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockKind;
import io.lockscope.model.LockRef;
import io.lockscope.model.ReportedDeadlock;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SourceRef;
import io.lockscope.model.SynchronizerState;
import io.lockscope.model.ThreadState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who holds which lock and who waits for which, in one snapshot; and from that, which thread
 * waits for which thread.
 */
public final class LockGraph {

    private final Snapshot snapshot;
    private final List<Hold> holds;
    private final List<Wait> waits;
    private final Map<String, List<Hold>> holdsByLock;
    private final Map<String, List<Wait>> waitsByLock;
    private final Map<Integer, List<Hold>> holdsByThread = new HashMap<>();
    private final Map<Integer, List<Wait>> waitsByThread = new HashMap<>();
    /** the park blockers some thread lists among its owned synchronizers */
    private final Set<String> ownedByAnyone;
    /** what shows a lock being handed over, found on the first question about it: most graphs are never asked */
    private volatile HandOffs handOffs;

    private LockGraph(Snapshot snapshot, List<Hold> holds, List<Wait> waits, Set<String> ownedByAnyone) {
        this.snapshot = snapshot;
        this.ownedByAnyone = ownedByAnyone;
        this.holds = List.copyOf(holds);
        this.waits = List.copyOf(waits);
        this.holdsByLock = new LinkedHashMap<>();
        this.waitsByLock = new LinkedHashMap<>();
        for (Hold h : holds) {
            holdsByLock.computeIfAbsent(h.lock().id(), k -> new ArrayList<>()).add(h);
            holdsByThread.computeIfAbsent(h.thread(), k -> new ArrayList<>()).add(h);
        }
        for (Wait w : waits) {
            waitsByLock.computeIfAbsent(w.lock().id(), k -> new ArrayList<>()).add(w);
            waitsByThread.computeIfAbsent(w.thread(), k -> new ArrayList<>()).add(w);
        }
    }

    public static LockGraph of(Snapshot stored) {
        // threads kept on disk are read back once for the graph's life: its holds and waits point into that
        // very list (a hold's frame is one of its thread's frames)
        Snapshot snapshot = stored.threads() instanceof io.lockscope.model.Stored
                ? new Snapshot(stored.label(), stored.format(), stored.at(), stored.time(), stored.jvm(), List.copyOf(stored.threads()),
                        stored.monitorOwners(), stored.synchronizerOwners(), stored.reportedDeadlocks(), stored.synchronizers(),
                        stored.deadlockSearch())
                : stored;
        List<Hold> holds = new ArrayList<>();
        List<Wait> waits = new ArrayList<>();
        // A park blocker that some thread lists among its owned synchronizers is an ownable lock,
        // whatever its class (a custom AbstractQueuedSynchronizer, ThreadPoolExecutor$Worker).
        Set<String> owned = new HashSet<>();
        for (JvmThread t : snapshot.threads()) {
            t.ownedSynchronizers().ifPresent(list -> list.forEach(l -> owned.add(l.id())));
        }
        for (JvmThread t : snapshot.threads()) {
            addEdges(t, holds, waits, owned);
        }
        addReportedHolds(snapshot, holds);
        addHeapFacts(snapshot, holds, waits);
        return new LockGraph(snapshot, holds, waits, owned);
    }

    /**
     * Whether this lock is being handed over as the dump is taken: a thread caught leaving its park
     * was parked for it, or a thread is inside an unlock of a lock of its kind, called from the code
     * its waiters lock it from. Either way it was released an instant ago, and no owner is no sign
     * that one died.
     */
    public boolean handedOver(String lockId) {
        HandOffs found = handOffs;
        if (found == null) {
            found = HandOffs.of(snapshot, ownedByAnyone);
            handOffs = found; // two threads that ask at once find the same, and either answer serves
        }
        return found.handedOver(waitersFor(lockId), lockId);
    }

    /**
     * A heap dump names owners, readers and queued threads of every java.util.concurrent lock
     * outright; those are holds and waits like any others (dead holders included: rules decide
     * what a dead holder means).
     */
    private static void addHeapFacts(Snapshot snapshot, List<Hold> holds, List<Wait> waits) {
        for (SynchronizerState s : snapshot.synchronizers()) {
            SourceRef at = s.at();
            if (s.owner().isPresent() && s.exclusiveHolds() > 0) {
                holds.add(new Hold(s.owner().get(), s.lock(), Optional.empty(), at));
            }
            Set<Integer> readers = new HashSet<>();
            for (SynchronizerState.ReadHold r : s.readers()) {
                if (r.count() > 0 && readers.add(r.thread())) {
                    holds.add(new Hold(r.thread(), s.lock(), Optional.empty(), at));
                }
            }
            for (SynchronizerState.Queued q : s.queued()) {
                JvmThread t = snapshot.threads().get(q.thread());
                Optional<Frame> caller = t.frames().isEmpty() ? Optional.empty() : Optional.of(callerOfLock(t, t.frames().get(0)));
                waits.add(new Wait(q.thread(), s.lock(), s.kind(), caller, at));
            }
        }
    }

    /**
     * The JVM's own deadlock section says "which is held by T" even when the stacks cannot
     * (a ReentrantLock in a dump taken without -l): that is a fact of the dump too. Used only
     * where the holder's name is unique in the snapshot and no other hold is known.
     */
    private static void addReportedHolds(Snapshot snapshot, List<Hold> holds) {
        if (snapshot.reportedDeadlocks().isEmpty()) {
            return;
        }
        Map<String, Integer> byName = new HashMap<>();
        for (JvmThread t : snapshot.threads()) {
            byName.merge(t.name(), t.index(), (a, b) -> -1);
        }
        Set<String> held = new HashSet<>();
        for (Hold h : holds) {
            held.add(h.lock().id());
        }
        for (ReportedDeadlock r : snapshot.reportedDeadlocks()) {
            for (ReportedDeadlock.Link link : r.links()) {
                Integer holder = byName.get(link.heldBy());
                if (holder != null && holder >= 0 && held.add(link.lock().id())) {
                    holds.add(new Hold(holder, link.lock(), Optional.empty(), r.at()));
                }
            }
        }
    }

    private static void addEdges(JvmThread t, List<Hold> holds, List<Wait> waits, Set<String> ownedByAnyone) {
        // A thread in Object.wait() released the monitor it waits on, yet HotSpot still prints
        // "- locked" for it in the frame that entered it: that line is not ownership.
        Set<String> releasedInWait = Set.of();
        for (Frame f : t.frames()) {
            for (LockAction a : f.locks()) {
                if (a.kind() == LockAction.Kind.WAITING_ON || a.kind() == LockAction.Kind.WAITING_TO_RELOCK) {
                    if (releasedInWait.isEmpty()) {
                        releasedInWait = new HashSet<>();
                    }
                    releasedInWait.add(a.lock().id());
                }
            }
        }
        Optional<LockAction> implicitlyReleased = releasedByWaitWithoutObject(t, releasedInWait);
        if (implicitlyReleased.isPresent()) {
            releasedInWait = Set.of(implicitlyReleased.get().lock().id()); // the set was empty: none named in a wait line
        }
        Set<String> held = new HashSet<>();
        for (Frame f : t.frames()) {
            for (LockAction a : f.locks()) {
                switch (a.kind()) {
                    case LOCKED -> {
                        if (implicitlyReleased.isPresent() && implicitlyReleased.get() == a && t.state() == ThreadState.BLOCKED) {
                            // notified, and waiting to get the monitor back
                            waits.add(new Wait(t.index(), a.lock(), LockKind.MONITOR, Optional.of(f), a.at()));
                        } else if (!releasedInWait.contains(a.lock().id()) && held.add(a.lock().id())) {
                            holds.add(new Hold(t.index(), a.lock(), Optional.of(f), a.at()));
                        }
                    }
                    case WAITING_TO_LOCK -> waits.add(new Wait(t.index(), a.lock(), LockKind.MONITOR, Optional.of(f), a.at()));
                    case WAITING_TO_RELOCK -> {
                        // JDK 11 prints this line for every thread in wait(), blocked or not;
                        // only a BLOCKED thread is really waiting to get the monitor back.
                        if (t.state() == ThreadState.BLOCKED) {
                            waits.add(new Wait(t.index(), a.lock(), LockKind.MONITOR, Optional.of(f), a.at()));
                        }
                    }
                    case PARKING -> {
                        LockKind kind = LockKind.ofParkBlocker(a.lock().className());
                        if (kind == LockKind.OTHER && ownedByAnyone.contains(a.lock().id())) {
                            kind = LockKind.EXCLUSIVE;
                        }
                        // a thread caught leaving its park was handed the lock, or will try again: no wait now
                        if (kind.hasOwner() && !t.unparked()) {
                            waits.add(new Wait(t.index(), a.lock(), kind, Optional.of(callerOfLock(t, f)), a.at()));
                        }
                    }
                    case WAITING_FOR_CLASS_INIT -> waits.add(new Wait(t.index(), a.lock(), LockKind.CLASS_INIT, Optional.of(f), a.at()));
                    case WAITING_ON, ELIMINATED -> {
                        // waiting for a notify, or a lock no other thread can see: no owner to wait for
                    }
                }
            }
        }
        // A thread running a class's static initializer holds that class's initialization;
        // others that need the class wait for it (JVMS 5.5).
        for (Frame f : t.frames()) {
            if (f.method().endsWith("<clinit>") && f.methodName().equals("<clinit>")) {
                LockRef init = LockKind.classInit(f.className());
                if (held.add(init.id())) {
                    holds.add(new Hold(t.index(), init, Optional.of(f), t.at()));
                }
            }
        }
        t.ownedSynchronizers().ifPresent(owned -> {
            for (LockRef lock : owned) {
                if (held.add(lock.id())) {
                    holds.add(new Hold(t.index(), lock, Optional.empty(), t.at()));
                }
            }
        });
    }

    /**
     * JDK 5 prints no "waiting on" line for a thread in Object.wait(), and JDK 8 to 21 may print
     * "waiting on &lt;no object reference available&gt;"; either way the monitor it waits on is the
     * first one locked below the wait frames, and it has been released. A thread in Object.wait()
     * that is BLOCKED was notified and waits to get that monitor back: it does not own it either.
     */
    private static Optional<LockAction> releasedByWaitWithoutObject(JvmThread t, Set<String> alreadyKnown) {
        if (!alreadyKnown.isEmpty() || t.frames().isEmpty() || !isObjectWait(t.frames().get(0))) {
            return Optional.empty();
        }
        if (t.state() != ThreadState.WAITING && t.state() != ThreadState.TIMED_WAITING && t.state() != ThreadState.BLOCKED) {
            return Optional.empty();
        }
        for (Frame f : t.frames()) {
            if (isObjectWait(f)) {
                continue;
            }
            for (LockAction a : f.locks()) {
                if (a.kind() == LockAction.Kind.LOCKED) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The frame that asked for a java.util.concurrent lock: the first one below the park that is
     * not the JDK's locking machinery (Unsafe.park, LockSupport, AbstractQueuedSynchronizer,
     * ReentrantLock$Sync). Falls back to the frame with the lock line.
     */
    static Frame callerOfLock(JvmThread t, Frame parked) {
        boolean below = false;
        for (Frame f : t.frames()) {
            if (f == parked) {
                below = true;
                continue;
            }
            if (below && !isLockMachinery(f.className())) {
                return f;
            }
        }
        return parked;
    }

    static boolean isLockMachinery(String cls) {
        return cls.startsWith("jdk.internal.misc.") || cls.startsWith("sun.misc.Unsafe")
                || cls.startsWith("java.util.concurrent.locks.") || cls.startsWith("java.lang.VirtualThread")
                || cls.startsWith("java.lang.System$");
    }

    private static boolean isObjectWait(Frame f) {
        return f.method().equals("java.lang.Object.wait") || f.method().equals("java.lang.Object.wait0");
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public JvmThread thread(int index) {
        return snapshot.threads().get(index);
    }

    public List<Hold> holds() {
        return holds;
    }

    public List<Wait> waits() {
        return waits;
    }

    public List<Hold> holdersOf(String lockId) {
        return holdsByLock.getOrDefault(lockId, List.of());
    }

    /** Every lock somebody waits for, by id, with its waits, in the order first seen. */
    public Map<String, List<Wait>> waitsByLock() {
        return Collections.unmodifiableMap(waitsByLock);
    }

    public List<Wait> waitersFor(String lockId) {
        return waitsByLock.getOrDefault(lockId, List.of());
    }

    public List<Hold> holdsOf(int thread) {
        return Collections.unmodifiableList(holdsByThread.getOrDefault(thread, List.of()));
    }

    public List<Wait> waitsOf(int thread) {
        return Collections.unmodifiableList(waitsByThread.getOrDefault(thread, List.of()));
    }

    /**
     * Threads that wait, directly or through others, for a thread in {@code members}, without
     * being members themselves: stuck behind a deadlock, though not part of its ring.
     */
    public List<Integer> blockedBehind(List<Integer> members) {
        Set<Integer> reached = new HashSet<>(members);
        List<Integer> result = new ArrayList<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Wait w : waits) {
                if (reached.contains(w.thread())) {
                    continue;
                }
                for (Hold h : holdersOf(w.lock().id())) {
                    if (reached.contains(h.thread())) {
                        reached.add(w.thread());
                        result.add(w.thread());
                        grew = true;
                        break;
                    }
                }
            }
        }
        Collections.sort(result);
        return result;
    }

    /** Every ring of threads waiting for each other, one per strongly connected part. */
    public List<WaitForCycle> cycles() {
        int n = snapshot.threads().size();
        List<List<Wait>> out = new ArrayList<>(n);
        List<List<Integer>> next = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
            next.add(new ArrayList<>());
        }
        for (Wait w : waits) {
            for (Hold h : holdersOf(w.lock().id())) {
                if (h.thread() != w.thread()) {
                    out.get(w.thread()).add(w);
                    next.get(w.thread()).add(h.thread());
                }
            }
        }
        List<WaitForCycle> cycles = new ArrayList<>();
        for (List<Integer> component : stronglyConnected(next)) {
            if (component.size() < 2) {
                continue;
            }
            Collections.sort(component);
            cycles.add(ringThrough(component, next, out));
        }
        return cycles;
    }

    /** A simple ring inside one strongly connected part, found by walking from its first thread. */
    private static WaitForCycle ringThrough(List<Integer> component, List<List<Integer>> next, List<List<Wait>> out) {
        Set<Integer> inside = new HashSet<>(component);
        List<Integer> path = new ArrayList<>();
        List<Wait> pathWaits = new ArrayList<>();
        Map<Integer, Integer> positionInPath = new LinkedHashMap<>();
        int current = component.get(0);
        while (!positionInPath.containsKey(current)) {
            positionInPath.put(current, path.size());
            path.add(current);
            int chosen = -1;
            Wait via = null;
            for (int k = 0; k < next.get(current).size(); k++) {
                int candidate = next.get(current).get(k);
                if (inside.contains(candidate)) {
                    chosen = candidate;
                    via = out.get(current).get(k);
                    break;
                }
            }
            pathWaits.add(via);
            current = chosen;
        }
        int start = positionInPath.get(current);
        return new WaitForCycle(path.subList(start, path.size()), pathWaits.subList(start, pathWaits.size()), component);
    }

    /** Tarjan's algorithm, iterative so that thousands of threads cannot overflow the stack. */
    private static List<List<Integer>> stronglyConnected(List<List<Integer>> next) {
        int n = next.size();
        int[] index = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(index, -1);
        Deque<Integer> stack = new ArrayDeque<>();
        List<List<Integer>> result = new ArrayList<>();
        int counter = 0;
        for (int root = 0; root < n; root++) {
            if (index[root] != -1 || next.get(root).isEmpty()) {
                continue;
            }
            Deque<int[]> work = new ArrayDeque<>(); // {node, next edge to visit}
            work.push(new int[] {root, 0});
            index[root] = low[root] = counter++;
            stack.push(root);
            onStack[root] = true;
            while (!work.isEmpty()) {
                int[] top = work.peek();
                int v = top[0];
                if (top[1] < next.get(v).size()) {
                    int w = next.get(v).get(top[1]++);
                    if (index[w] == -1) {
                        index[w] = low[w] = counter++;
                        stack.push(w);
                        onStack[w] = true;
                        work.push(new int[] {w, 0});
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                } else {
                    work.pop();
                    if (!work.isEmpty()) {
                        int parent = work.peek()[0];
                        low[parent] = Math.min(low[parent], low[v]);
                    }
                    if (low[v] == index[v]) {
                        List<Integer> component = new ArrayList<>();
                        int w;
                        do {
                            w = stack.pop();
                            onStack[w] = false;
                            component.add(w);
                        } while (w != v);
                        result.add(component);
                    }
                }
            }
        }
        return result;
    }
}
