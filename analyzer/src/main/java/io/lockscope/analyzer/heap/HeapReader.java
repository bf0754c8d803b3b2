package io.lockscope.analyzer.heap;

import io.lockscope.analyzer.heap.HeapObjects.HeapObject;
import io.lockscope.analyzer.heap.HeapSynchronizers.SyncFacts;
import io.lockscope.engine.Words;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmHints;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockKind;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SourceRef;
import io.lockscope.model.SynchronizerState;
import io.lockscope.model.ThreadState;
import io.lockscope.model.Visibility;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads an HPROF heap dump into one snapshot: every thread (live, and dead ones that a lock still
 * points to) with its stack, and every java.util.concurrent lock with its owner, hold counts,
 * queue, readers and referrers. A few sequential passes, never an index of every object: memory is
 * bounded by the number of classes and of lock-related objects.
 */
public final class HeapReader {

    /** What reading a heap dump came to. */
    /**
     * @param lockClasses how many instances of each java.util.concurrent synchronizer class the heap holds
     */
    public record Result(Snapshot snapshot, String message, boolean complete, long bytesRead, Map<String, Integer> lockClasses,
            List<Long> passNanos) {
    }

    /** Progress through a large file, for a person watching. */
    public interface Progress {
        void pass(int pass, long position);

        Progress NONE = (pass, position) -> { };
    }

    private HeapReader() {
    }

    public static Result read(Path path, String display, boolean gzip, Progress progress) throws IOException {
        long size = Files.size(path);
        HeapObjects.Combined first = new HeapObjects.Combined();
        List<Long> times = new ArrayList<>();
        long t0 = System.nanoTime();
        HprofDecoder.Progress p1 = pass(path, gzip, size, first, 1, progress);
        times.add(System.nanoTime() - t0);
        HeapStructure structure = first.structure;
        structure.resolve();
        if (structure.heapDumps == 0) {
            throw new IOException(p1.complete() ? "an HPROF file with no heap dump in it"
                    : "no heap dump before the damage: " + p1.problem());
        }
        HeapObjects objects = first.objects;
        HprofDecoder.Progress p2 = p1;
        if (objects == null || first.classAfterObjects) {
            // classes came after objects, or several heap dumps: the objects of the last one, in a pass of their own
            objects = new HeapObjects(structure);
            t0 = System.nanoTime();
            p2 = pass(path, gzip, size, objects, times.size() + 1, progress);
            times.add(System.nanoTime() - t0);
        }
        Model model = new Model(structure, objects);
        HeapNames names = new HeapNames(structure, model.stringIds, model.charArrayIds, model.referrerTargets);
        t0 = System.nanoTime();
        List<HeapStructure.Segment> segments = structure.segments.getOrDefault(structure.heapDumps - 1, List.of());
        int threads = Math.min(Runtime.getRuntime().availableProcessors(), 4);
        HprofDecoder.Progress p3 = !gzip && threads > 1 && segments.size() >= 2 * threads && p1.complete()
                ? parallelPass(path, size, structure, names, segments, threads)
                : pass(path, gzip, size, names, times.size() + 1, progress);
        times.add(System.nanoTime() - t0);
        LongSet missing = names.missingArrays();
        if (missing.size() > 0 && !gzip) {
            missing = names.readNoted(path, missing);
        }
        if (missing.size() > 0) {
            HeapNames arrays = names.arraysOnly(missing);
            t0 = System.nanoTime();
            pass(path, gzip, size, arrays, times.size() + 1, progress);
            times.add(System.nanoTime() - t0);
            names.arrays.putAll(arrays.arrays);
        }
        Snapshot snapshot = model.snapshot(display, names);
        boolean passesWhole = p1.complete() && p2.complete() && p3.complete();
        boolean complete = passesWhole && structure.superclassRing == null;
        StringBuilder message = new StringBuilder();
        message.append(structure.format).append(", ").append(structure.idSize * 8).append("-bit ids; ")
                .append(snapshot.threads().stream().filter(JvmThread::alive).count()).append(" live threads");
        long dead = snapshot.threads().stream().filter(t -> !t.alive()).count();
        if (dead > 0) {
            message.append(", ").append(dead).append(" dead");
        }
        message.append("; ").append(model.lockCount).append(" java.util.concurrent locks, ")
                .append(snapshot.synchronizers().size()).append(" held or waited for");
        int monitors = structure.lastMonitorsUsed().size();
        if (monitors > 0) {
            // JDK 8 and older list the objects whose monitors are in use (ROOT_MONITOR_USED); owners are not recorded
            message.append("; ").append(Words.count(monitors, "monitor")).append(" in use");
        }
        if (structure.heapDumps > 1) {
            message.append("; ").append(structure.heapDumps).append(" heap dumps in the file, the last one used");
        }
        if (structure.superclassRing != null) {
            message.append("; damaged: the superclasses of ").append(structure.superclassRing)
                    .append(" run in a ring; its fields are laid out up to where the ring closes");
        }
        if (!passesWhole) {
            HprofDecoder.Progress broken = !p1.complete() ? p1 : !p2.complete() ? p2 : p3;
            message.append("; ").append(broken.problem());
            // the broken record declared its length: the file was at least that long
            if (!broken.readOn()) {
                message.append(String.format(", read %d%% of it", Math.min(99, broken.offset() * 100 / Math.max(1, broken.expectedEnd()))));
            }
        }
        Map<String, Integer> lockClasses = new java.util.TreeMap<>();
        model.syncs.values().forEach(x -> lockClasses.merge(x.cls().name, 1, Integer::sum));
        return new Result(snapshot, message.toString(), complete, p1.offset(), lockClasses, List.copyOf(times));
    }

    /**
     * Pass 3 over a plain file, its heap dump segments shared out among threads in contiguous runs
     * of about equal bytes, each with its own collector; their findings are merged in order.
     */
    private static HprofDecoder.Progress parallelPass(Path path, long size, HeapStructure structure, HeapNames names,
            List<HeapStructure.Segment> segments, int threads) throws IOException {
        long total = segments.stream().mapToLong(HeapStructure.Segment::length).sum();
        List<List<HeapStructure.Segment>> shares = new ArrayList<>();
        List<HeapStructure.Segment> current = new ArrayList<>();
        long bytes = 0;
        for (HeapStructure.Segment seg : segments) {
            current.add(seg);
            bytes += seg.length();
            if (bytes >= total / threads && shares.size() < threads - 1) {
                shares.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
        }
        shares.add(current);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(shares.size(), r -> {
            Thread t = new Thread(r, "lockscope-heap-pass");
            t.setDaemon(true);
            return t;
        });
        try {
            record Share(HeapNames names, HprofDecoder.Progress progress) {
            }
            List<java.util.concurrent.Future<Share>> results = new ArrayList<>();
            for (List<HeapStructure.Segment> share : shares) {
                HeapNames collector = names.share();
                results.add(pool.submit(() -> {
                    try (HprofInput in = HprofInput.open(path, false)) {
                        HprofDecoder.Progress p = new HprofDecoder(in, size).segments(collector, share, structure.heapDumps - 1);
                        return new Share(collector, p);
                    }
                }));
            }
            HprofDecoder.Progress worst = null;
            for (java.util.concurrent.Future<Share> f : results) {
                Share r = f.get();
                names.merge(r.names());
                HprofDecoder.Progress p = r.progress();
                if (worst == null || !p.complete()) {
                    worst = p;
                }
            }
            return worst;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static HprofDecoder.Progress pass(Path path, boolean gzip, long size, HprofHandler h, int n, Progress progress)
            throws IOException {
        try (HprofInput in = HprofInput.open(path, gzip)) {
            return new HprofDecoder(in, size).pass(h, position -> progress.pass(n, position));
        }
    }

    /** Turns the decoded objects into threads and lock states. */
    private static final class Model {
        final HeapStructure s;
        final HeapObjects o;
        final LongSet stringIds = new LongSet();
        final LongSet charArrayIds = new LongSet();
        final LongSet referrerTargets = new LongSet();
        final Map<Long, HeapObject> threads = new LinkedHashMap<>();
        final Map<Long, HeapObject> syncs = new LinkedHashMap<>();
        final Map<Long, List<Long>> wrappersOfSync = new HashMap<>();
        final Map<Long, Long> threadByTid = new HashMap<>();
        final Map<Long, String> versionStrings = new HashMap<>();
        int lockCount;

        Model(HeapStructure s, HeapObjects o) {
            this.s = s;
            this.o = o;
            for (HeapObject obj : o.objects.values()) {
                if (s.isSubclassOf(obj.cls(), HeapClasses.THREAD)) {
                    threads.put(obj.id(), obj);
                    threadByTid.put(obj.get("tid"), obj.id());
                    long name = obj.get("name");
                    stringIds.add(name);
                    charArrayIds.add(name);
                } else if (s.isSubclassOf(obj.cls(), HeapClasses.AOS) || s.isSubclassOf(obj.cls(), HeapClasses.STAMPED)) {
                    // StampedLock is no AbstractOwnableSynchronizer, but keeps a state and a queue the same way
                    syncs.put(obj.id(), obj);
                } else if (obj.has("sync") && !s.isSubclassOf(obj.cls(), HeapClasses.AOS)) {
                    wrappersOfSync.computeIfAbsent(obj.get("sync"), k -> new ArrayList<>()).add(obj.id());
                }
            }
            lockCount = syncs.size();
            for (HeapObject sync : syncs.values()) {
                if (sync.get("state") != 0 || sync.get("head") != 0 || sync.get("tail") != 0) {
                    referrerTargets.add(sync.id());
                    for (long w : wrappersOfSync.getOrDefault(sync.id(), List.of())) {
                        referrerTargets.add(w);
                    }
                }
            }
            HeapStructure.ClassInfo versionProps = s.byName(HeapClasses.VERSION_PROPS);
            if (versionProps == null) {
                versionProps = s.byName("sun.misc.Version"); // JDK 8 and older
            }
            if (versionProps != null) {
                for (String f : List.of("java_runtime_version", "java_runtime_name", "java_version")) {
                    Long id = versionProps.staticObjects.get(f);
                    if (id != null && id != 0) {
                        versionStrings.put(id, f);
                        stringIds.add(id);
                    }
                }
            }
        }

        Snapshot snapshot(String display, HeapNames names) {
            // which threads: the live ones (thread roots), then any other a lock points to
            Map<Long, Integer> index = new LinkedHashMap<>();
            Map<Long, Long> traceOf = new HashMap<>();
            Map<Long, String> agentNames = new HashMap<>();
            for (HeapStructure.ThreadRoot r : s.lastThreadRoots()) {
                if (r.objectId() == 0) {
                    continue;
                }
                index.putIfAbsent(r.objectId(), index.size());
                // the hprof agent's thread roots carry the thread's allocation site, not its stack
                if (!s.agent) {
                    traceOf.put(r.objectId(), r.traceSerial());
                }
                HeapStructure.StartedThread started = s.startedThreads.get(r.threadSerial());
                if (started != null) {
                    agentNames.put(r.objectId(), s.strings.getOrDefault(started.nameId(), ""));
                }
            }
            HeapSynchronizers synchronizers = new HeapSynchronizers(s, o, threads, wrappersOfSync, threadByTid);
            List<SyncFacts> facts = new ArrayList<>();
            for (HeapObject sync : syncs.values()) {
                SyncFacts f = synchronizers.facts(sync);
                if (f.interesting()) {
                    facts.add(f);
                    f.threads().forEach(t -> index.putIfAbsent(t, index.size()));
                }
            }
            List<JvmThread> list = new ArrayList<>();
            for (Map.Entry<Long, Integer> e : index.entrySet()) {
                JvmThread t = thread(e.getKey(), e.getValue(), traceOf.get(e.getKey()), names, display);
                String agentName = agentNames.getOrDefault(e.getKey(), "");
                if (t.name().isEmpty() && !agentName.isEmpty()) {
                    t = new JvmThread(t.index(), agentName, t.javaId(), t.nativeId(), t.address(), t.state(), t.stateDetail(),
                            t.daemon(), t.virtual(), t.carrier(), t.frames(), t.ownedSynchronizers(), t.at(), t.alive(), t.cpuMicros(),
                            t.elapsedMillis());
                }
                list.add(t);
            }
            Map<Long, List<HeapNames.Referrer>> referrersByTarget = new HashMap<>();
            for (HeapNames.Referrer r : names.referrers) {
                referrersByTarget.computeIfAbsent(r.target(), k -> new ArrayList<>()).add(r);
            }
            // the threads whose stack frames (a local variable, an argument) reach each lock
            Map<Long, Long> threadBySerial = new HashMap<>();
            for (HeapStructure.ThreadRoot r : s.lastThreadRoots()) {
                threadBySerial.put(r.threadSerial(), r.objectId());
            }
            Map<Long, Set<Integer>> framesByTarget = new HashMap<>();
            for (HeapNames.FrameRoot root : names.frameRoots) {
                Long thread = threadBySerial.get(root.threadSerial());
                if (thread != null && index.containsKey(thread)) {
                    framesByTarget.computeIfAbsent(root.objectId(), k -> new java.util.TreeSet<>()).add(index.get(thread));
                }
            }
            List<SynchronizerState> states = new ArrayList<>();
            for (SyncFacts f : facts) {
                states.add(f.toState(index, referrersByTarget, framesByTarget, s.classes, display));
            }
            String version = "";
            for (Map.Entry<Long, String> v : versionStrings.entrySet()) {
                if (v.getValue().equals("java_runtime_version")) {
                    version = names.text(v.getKey());
                }
            }
            Optional<String> vm = version.isEmpty() ? Optional.empty() : Optional.of("JDK " + version);
            Optional<Instant> time = s.timestampMillis > 0 ? Optional.of(Instant.ofEpochMilli(s.timestampMillis)) : Optional.empty();
            return new Snapshot(display, "hprof", SourceRef.file(display), time,
                    new JvmHints(OptionalLong.empty(), vm, Optional.empty()), list, Visibility.NOT_SHOWN, Visibility.SHOWN,
                    List.of(), states);
        }

        private JvmThread thread(long id, int idx, Long traceSerial, HeapNames names, String display) {
            HeapObject t = threads.get(id);
            if (t == null) {
                return new JvmThread(idx, "<thread object 0x" + Long.toHexString(id) + " not in the dump>", OptionalLong.empty(),
                        Optional.empty(), Optional.empty(), ThreadState.UNKNOWN, "", false, false, Optional.empty(),
                        frames(traceSerial), Optional.empty(), SourceRef.file(display), true);
            }
            HeapObject holder = t.has("holder") ? o.objects.get(t.get("holder")) : null;
            long status = holder != null ? holder.get("threadStatus") : t.get("threadStatus");
            boolean daemon = (holder != null ? holder.get("daemon") : t.get("daemon")) != 0;
            boolean virtual = s.isSubclassOf(t.cls(), HeapClasses.VIRTUAL_THREAD);
            boolean alive;
            ThreadState state;
            String detail;
            if (virtual) {
                long vstate = t.get("state");
                alive = vstate != HeapClasses.VIRTUAL_TERMINATED && vstate != 0;
                state = alive ? ThreadState.UNKNOWN : ThreadState.TERMINATED;
                detail = "virtual thread state " + vstate;
            } else {
                alive = (status & HeapClasses.JVMTI_ALIVE) != 0;
                state = state(status);
                detail = detail(status);
            }
            String name = names.text(t.get("name"));
            if (name.isEmpty() && !virtual) {
                name = "thread #" + t.get("tid") + " (name not in the dump)";
            }
            long eetop = t.get("eetop");
            long tid = t.get("tid");
            return new JvmThread(idx, name, tid == 0 ? OptionalLong.empty() : OptionalLong.of(tid), Optional.empty(),
                    eetop == 0 ? Optional.empty() : Optional.of("0x" + Long.toHexString(eetop)), state, detail, daemon, virtual,
                    Optional.empty(), frames(traceSerial), Optional.empty(), SourceRef.file(display), alive);
        }

        private List<Frame> frames(Long traceSerial) {
            List<Frame> out = new ArrayList<>();
            if (traceSerial == null) {
                return out;
            }
            for (long frameId : s.traces.getOrDefault(traceSerial, new long[0])) {
                HeapStructure.FrameInfo f = s.frames.get(frameId);
                if (f == null) {
                    continue;
                }
                Long classId = s.classIdsBySerial.get(f.classSerial());
                String cls = classId == null ? "?" : s.strings.getOrDefault(s.classNameIds.getOrDefault(classId, 0L), "?").replace('/', '.');
                String method = s.strings.getOrDefault(f.methodNameId(), "?");
                String source = s.strings.getOrDefault(f.sourceFileId(), "");
                String location = switch (f.line()) {
                    case -1 -> source.isEmpty() ? "Unknown Source" : source;
                    case -2 -> "Compiled method";
                    case -3 -> "Native Method";
                    default -> f.line() > 0 ? (source.isEmpty() ? "Unknown Source" : source) + ":" + f.line()
                            : (source.isEmpty() ? "Unknown Source" : source);
                };
                out.add(new Frame(cls + "." + method, location, List.of()));
            }
            return out;
        }

        static ThreadState state(long status) {
            if (status == 0) {
                return ThreadState.NEW;
            }
            if ((status & HeapClasses.JVMTI_TERMINATED) != 0) {
                return ThreadState.TERMINATED;
            }
            if ((status & HeapClasses.JVMTI_BLOCKED_ON_MONITOR_ENTER) != 0) {
                return ThreadState.BLOCKED;
            }
            if ((status & HeapClasses.JVMTI_WAITING_WITH_TIMEOUT) != 0) {
                return ThreadState.TIMED_WAITING;
            }
            if ((status & HeapClasses.JVMTI_WAITING_INDEFINITELY) != 0) {
                return ThreadState.WAITING;
            }
            if ((status & HeapClasses.JVMTI_RUNNABLE) != 0) {
                return ThreadState.RUNNABLE;
            }
            return ThreadState.UNKNOWN;
        }

        static String detail(long status) {
            if ((status & HeapClasses.JVMTI_SLEEPING) != 0) {
                return "(sleeping)";
            }
            if ((status & HeapClasses.JVMTI_PARKED) != 0) {
                return "(parking)";
            }
            if ((status & HeapClasses.JVMTI_IN_OBJECT_WAIT) != 0) {
                return "(on object monitor)";
            }
            return "";
        }
    }
}
