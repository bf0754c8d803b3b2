package io.lockscope.analyzer.heap;

import io.lockscope.analyzer.heap.HeapObjects.HeapObject;
import io.lockscope.model.LockKind;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import io.lockscope.model.SynchronizerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The java.util.concurrent synchronizers of a heap dump read as locks: an AQS's state split into
 * exclusive and shared holds, its owner, its wait queue, the waiters of its conditions, and a
 * read-write lock's readers, wherever the JDK of the dump keeps them.
 */
final class HeapSynchronizers {

    /** Where a read hold was found: the lock's firstReader, its cachedHoldCounter, or a thread's readHolds entry. */
    enum ReadSource {
        FIRST_READER("firstReader"), CACHED_HOLD_COUNTER("cachedHoldCounter"), READ_HOLDS("readHolds");

        final String field;

        ReadSource(String field) {
            this.field = field;
        }
    }

    /** A thread holding a read lock {@code count} times. */
    record ReadHolder(long thread, long count, ReadSource source) {
    }

    /** A thread in the lock's wait queue, for a shared (read) or an exclusive hold. */
    record QueuedWaiter(long thread, boolean shared) {
    }

    private final HeapStructure s;
    private final HeapObjects o;
    private final Map<Long, HeapObject> threads;
    private final Map<Long, List<Long>> wrappersOfSync;
    private final Map<Long, Long> threadByTid;

    HeapSynchronizers(HeapStructure s, HeapObjects o, Map<Long, HeapObject> threads, Map<Long, List<Long>> wrappersOfSync,
            Map<Long, Long> threadByTid) {
        this.s = s;
        this.o = o;
        this.threads = threads;
        this.wrappersOfSync = wrappersOfSync;
        this.threadByTid = threadByTid;
    }

    /** One synchronizer as the heap shows it, before threads have their indexes. */
    record SyncFacts(HeapObject sync, LockKind kind, long state, long exclusive, long shared, long owner,
            List<ReadHolder> readers, List<QueuedWaiter> queued, List<Long> conditionWaiters, List<Long> referrerTargets) {

        boolean interesting() {
            return (exclusive > 0 && owner != 0) || !queued.isEmpty() || !readers.isEmpty() || shared > 0
                    || (exclusive > 0 && owner == 0) || (owner != 0 && state == 0 && kind == LockKind.EXCLUSIVE);
        }

        List<Long> threads() {
            List<Long> out = new ArrayList<>();
            if (owner != 0) {
                out.add(owner);
            }
            readers.forEach(r -> out.add(r.thread()));
            queued.forEach(q -> out.add(q.thread()));
            out.addAll(conditionWaiters);
            return out;
        }

        SynchronizerState toState(Map<Long, Integer> index, Map<Long, List<HeapNames.Referrer>> referrers,
                Map<Long, Set<Integer>> framesByTarget, Map<Long, HeapStructure.ClassInfo> classes, String display) {
            String cls = sync.cls().name;
            LockRef lock = new LockRef("0x" + Long.toHexString(sync.id()), cls);
            List<SynchronizerState.ReadHold> rs = new ArrayList<>();
            for (ReadHolder r : readers) {
                rs.add(new SynchronizerState.ReadHold(index.get(r.thread()), r.count(), r.source().field));
            }
            List<SynchronizerState.Queued> qs = new ArrayList<>();
            for (QueuedWaiter q : queued) {
                qs.add(new SynchronizerState.Queued(index.get(q.thread()), q.shared()));
            }
            List<SynchronizerState.Referrer> refs = new ArrayList<>();
            Set<Long> own = new HashSet<>(referrerTargets);
            for (long target : referrerTargets) {
                for (HeapNames.Referrer r : referrers.getOrDefault(target, List.of())) {
                    HeapStructure.ClassInfo c = classes.get(r.classId());
                    // the lock's own parts (its wrapper, its read and write views, its conditions and
                    // queue nodes) and its waiters' parkBlocker point to it too; they say nothing about
                    // where the program keeps it
                    if (own.contains(r.objectId()) || r.field().equals("parkBlocker") || (c != null && (c.name.startsWith("java.util.concurrent.locks.")
                            && (c.name.contains("$Node") || c.name.contains("ConditionObject") || c.name.endsWith("$ReadLock")
                            || c.name.endsWith("$WriteLock") || c.name.endsWith("Node"))))) {
                        continue;
                    }
                    refs.add(new SynchronizerState.Referrer(c == null ? "?" : c.name, r.field(), "0x" + Long.toHexString(r.objectId())));
                }
            }
            Set<Integer> frames = new java.util.TreeSet<>();
            for (long target : referrerTargets) {
                frames.addAll(framesByTarget.getOrDefault(target, Set.of()));
            }
            return new SynchronizerState(lock, kind, state, exclusive, shared,
                    owner == 0 ? Optional.empty() : Optional.of(index.get(owner)), rs, qs,
                    conditionWaiters.stream().map(index::get).toList(), refs, true, List.copyOf(frames), SourceRef.file(display));
        }
    }

    SyncFacts facts(HeapObject sync) {
        String cls = sync.cls().name;
        boolean longState = s.isSubclassOf(sync.cls(), HeapClasses.AQLS);
        boolean readWrite = s.isSubclassOf(sync.cls(), HeapClasses.RRWL_SYNC);
        long state = sync.get("state");
        long owner = sync.get("exclusiveOwnerThread");
        LockKind kind = s.isSubclassOf(sync.cls(), HeapClasses.STAMPED) ? LockKind.STAMPED : LockKind.ofParkBlocker(cls);
        if (kind == LockKind.OTHER || kind == LockKind.CONDITION) {
            kind = owner != 0 || cls.endsWith("ThreadPoolExecutor$Worker") ? LockKind.EXCLUSIVE : LockKind.SHARED;
        }
        long exclusive;
        long shared;
        if (readWrite) {
            // JDK 25's Sync is a long synchronizer with the read count in the upper 32 bits; before, an int with it in the upper 16
            int shift = longState ? 32 : 16;
            long mask = (1L << shift) - 1;
            exclusive = state & mask;
            shared = longState ? state >>> shift : (state & 0xffffffffL) >>> shift;
        } else if (kind == LockKind.EXCLUSIVE) {
            exclusive = state;
            shared = 0;
        } else {
            exclusive = 0;
            shared = 0;
        }
        List<ReadHolder> readers = readWrite ? readers(sync) : List.of();
        List<Long> targets = new ArrayList<>();
        targets.add(sync.id());
        targets.addAll(wrappersOfSync.getOrDefault(sync.id(), List.of()));
        return new SyncFacts(sync, kind, state, exclusive, shared, owner, readers, queue(sync), conditionWaiters(sync), targets);
    }

    /** The wait queue from head to tail (and back from tail, for nodes not yet linked forward). */
    private List<QueuedWaiter> queue(HeapObject sync) {
        Set<Long> seen = new LinkedHashSet<>();
        List<Long> nodes = new ArrayList<>();
        for (long n = sync.get("head"); n != 0 && seen.add(n) && seen.size() < 100_000; ) {
            nodes.add(n);
            HeapObject node = o.objects.get(n);
            n = node == null ? 0 : node.get("next");
        }
        List<Long> backwards = new ArrayList<>();
        for (long n = sync.get("tail"); n != 0 && !seen.contains(n) && backwards.size() < 100_000; ) {
            backwards.add(0, n);
            seen.add(n);
            HeapObject node = o.objects.get(n);
            n = node == null ? 0 : node.get("prev");
        }
        nodes.addAll(backwards);
        long sharedMarker = sharedMarker();
        List<QueuedWaiter> out = new ArrayList<>();
        Set<Long> threadsSeen = new HashSet<>();
        for (long id : nodes) {
            HeapObject node = o.objects.get(id);
            if (node == null) {
                continue;
            }
            long waiter = HeapClasses.nodeWaiter(node);
            boolean cancelled = HeapClasses.nodeCancelled(node);
            if (waiter == 0 || cancelled || !threadsSeen.add(waiter)) {
                continue;
            }
            boolean shared = node.cls().name.endsWith("$SharedNode")
                    || (node.has("nextWaiter") && sharedMarker != 0 && node.get("nextWaiter") == sharedMarker);
            out.add(new QueuedWaiter(waiter, shared));
        }
        return out;
    }

    /** Up to JDK 13, AQS$Node.SHARED: the static marker node that shared waiters point to. */
    private long sharedMarker() {
        HeapStructure.ClassInfo node = s.byName(HeapClasses.AQS_NODE);
        Long marker = node == null ? null : node.staticObjects.get("SHARED");
        return marker == null ? 0 : marker;
    }

    private Map<Long, List<HeapObject>> conditionsBySync;

    private List<Long> conditionWaiters(HeapObject sync) {
        if (conditionsBySync == null) {
            conditionsBySync = new HashMap<>();
            for (HeapObject c : o.objects.values()) {
                if (c.has("firstWaiter") && c.has("this$0")) {
                    conditionsBySync.computeIfAbsent(c.get("this$0"), k -> new ArrayList<>()).add(c);
                }
            }
        }
        List<Long> out = new ArrayList<>();
        for (HeapObject c : conditionsBySync.getOrDefault(sync.id(), List.of())) {
            Set<Long> seen = new HashSet<>();
            for (long n = c.get("firstWaiter"); n != 0 && seen.add(n); ) {
                HeapObject node = o.objects.get(n);
                if (node == null) {
                    break;
                }
                long waiter = HeapClasses.nodeWaiter(node);
                if (waiter != 0) {
                    out.add(waiter);
                }
                n = node.get("nextWaiter");
            }
        }
        return out;
    }

    /**
     * A ReentrantReadWriteLock's readers: firstReader, cachedHoldCounter (it keeps a thread id,
     * not a reference), and the HoldCounter of the lock's readHolds in each thread's
     * threadLocals (cleared when a thread exits).
     */
    private List<ReadHolder> readers(HeapObject sync) {
        Map<Long, ReadHolder> byThread = new LinkedHashMap<>();
        long first = sync.get("firstReader");
        if (first != 0 && sync.get("firstReaderHoldCount") > 0) {
            byThread.put(first, new ReadHolder(first, sync.get("firstReaderHoldCount"), ReadSource.FIRST_READER));
        }
        HeapObject cached = o.objects.get(sync.get("cachedHoldCounter"));
        if (cached != null && cached.get("count") > 0) {
            Long t = threadByTid.get(cached.get("tid"));
            if (t != null) {
                byThread.putIfAbsent(t, new ReadHolder(t, cached.get("count"), ReadSource.CACHED_HOLD_COUNTER));
            }
        }
        long readHolds = sync.get("readHolds");
        if (readHolds != 0) {
            for (HeapObject t : threads.values()) {
                HeapObject map = o.objects.get(t.get("threadLocals"));
                long[] table = map == null ? null : o.entryArrays.get(map.get("table"));
                if (table == null) {
                    continue;
                }
                for (long e : table) {
                    HeapObject entry = o.objects.get(e);
                    if (entry == null || entry.get("referent") != readHolds) {
                        continue;
                    }
                    HeapObject counter = o.objects.get(entry.get("value"));
                    if (counter != null && counter.get("count") > 0) {
                        ReadHolder prev = byThread.get(t.id());
                        if (prev == null || prev.source() != ReadSource.FIRST_READER) {
                            byThread.put(t.id(), new ReadHolder(t.id(), counter.get("count"), ReadSource.READ_HOLDS));
                        }
                    }
                }
            }
        }
        return new ArrayList<>(byThread.values());
    }
}
