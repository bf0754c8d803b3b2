package io.lockscope.rules;

import io.lockscope.engine.RuleContext;
import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockKind;
import io.lockscope.model.LockRef;
import io.lockscope.model.Recording;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SynchronizerState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which java.util.concurrent locks a JVM's inputs show leaked, and on what each conclusion rests.
 * A lock is leaked when its owner is alive and no code of the owner that took it is running any
 * more: nothing will ever unlock it. Four kinds of evidence tell, from weakest to strongest:
 * the owner's stack is back in its own loop waiting for work ({@link Basis#OWN_LOOP}); it is in a
 * pool's wait for the next task ({@link Basis#POOL}); a recording caught the owner's unlock()
 * throwing IllegalMonitorStateException, so it unlocked another object than it locked
 * ({@link Basis#UNLOCK_THREW}); a heap dump finds no field and no frame of the owner that still
 * reaches the lock ({@link Basis#UNREFERENCED}). Shared by leaked-lock, which reports them, and
 * blocking-while-holding, which leaves them to it.
 */
final class Leaks {

    /** What a leak rests on. */
    enum Basis {
        /** The owner waits for work in a loop of its own (a queue's take, a selector, a sleep): likely, not certain. */
        OWN_LOOP(false),
        /** The owner waits for its next task in a pool: no task's code is on its stack. */
        POOL(true),
        /** A recording caught the owner's unlock() throwing IllegalMonitorStateException: it unlocked another object. */
        UNLOCK_THREW(true),
        /** A heap dump: no object's field and no frame of the owner reaches the lock, only the waiters' frames. */
        UNREFERENCED(true);

        final boolean certain;

        Basis(boolean certain) {
            this.certain = certain;
        }
    }

    /** One leaked lock: its owner (maybe inferred), its waiters and what shows it, per dump. */
    static final class Leak {
        final LockRef lock;
        final String ownerName;
        final Optional<JvmThread> owner;
        final Set<Basis> bases = EnumSet.noneOf(Basis.class);
        Optional<Frame> idleAt = Optional.empty();
        Optional<Recording.ThrownException> thrown = Optional.empty();
        Optional<Recording> recording = Optional.empty();
        /** Shown by no dump: inferred from a recording alone. */
        final boolean inferred;
        final Set<String> waiters = new LinkedHashSet<>();
        final List<Seen> seen = new ArrayList<>();

        Leak(LockRef lock, String ownerName, Optional<JvmThread> owner, boolean inferred) {
            this.lock = lock;
            this.ownerName = ownerName;
            this.owner = owner;
            this.inferred = inferred;
        }

        boolean certain() {
            return !inferred && bases.stream().anyMatch(b -> b.certain);
        }

        /** Key of the owner and the lock's class: the same leak in every dump, though the lock's address moved. */
        String key() {
            return ownerName + "|" + lock.className();
        }
    }

    /** A dump in which the leak shows: the owner's hold (if the dump shows it) and the waits. */
    record Seen(LockGraph graph, Optional<Hold> hold, List<Wait> waits) {
    }

    private Leaks() {
    }

    /** The leaks in this JVM's inputs, in the order first seen: found once for all the rules that ask. */
    static List<Leak> find(RuleContext context) {
        List<String> idle = context.patterns(Stacks.IDLE_FRAMES);
        return context.shared(List.of(Leaks.class, idle), () -> List.copyOf(find(context, idle)));
    }

    private static List<Leak> find(RuleContext context, List<String> idle) {
        // the recordings' IllegalMonitorStateExceptions, gathered once: every hold of every dump is checked against them
        List<Thrown> imse = new ArrayList<>();
        for (Recording r : context.jvm().recordings()) {
            for (Recording.ThrownException x : r.exceptions()) {
                if (x.exceptionClass().equals("java.lang.IllegalMonitorStateException")) {
                    imse.add(new Thrown(x, r));
                }
            }
        }
        Map<String, Leak> leaks = new LinkedHashMap<>();
        for (Snapshot s : context.snapshots()) {
            if (!s.synchronizerOwners().shown()) {
                continue;
            }
            LockGraph g = context.graph(s);
            for (Hold h : g.holds()) {
                if (h.frame().isPresent() || h.lock().isClassInit()) {
                    continue; // a monitor, or class init: both are held by the code on the stack
                }
                List<Wait> waits = g.waitersFor(h.lock().id()).stream().filter(w -> w.thread() != h.thread()).toList();
                JvmThread owner = g.thread(h.thread());
                if (waits.isEmpty() || !owner.alive()) {
                    continue;
                }
                Set<Basis> bases = EnumSet.noneOf(Basis.class);
                Optional<Frame> idleAt = Stacks.idleFrame(owner, idle);
                if (idleAt.isPresent()) {
                    bases.add(Basis.POOL);
                } else {
                    idleAt = Stacks.ownLoopFrame(owner, lockCallers(g, waits));
                    idleAt.ifPresent(f -> bases.add(Basis.OWN_LOOP));
                }
                if (unreferenced(s, h)) {
                    bases.add(Basis.UNREFERENCED);
                }
                Optional<Thrown> thrown = unlockThrew(imse, owner.javaId().isPresent() ? owner.javaId().getAsLong() : -1,
                        owner.name(), h.lock(), Set.of());
                if (thrown.isPresent()) {
                    bases.add(Basis.UNLOCK_THREW);
                }
                if (bases.isEmpty()) {
                    continue;
                }
                Leak leak = leaks.computeIfAbsent(owner.identityKey() + "|" + h.lock().className(),
                        k -> new Leak(h.lock(), owner.name(), Optional.of(owner), false));
                leak.bases.addAll(bases);
                if (leak.idleAt.isEmpty()) {
                    leak.idleAt = idleAt;
                }
                thrown.ifPresent(t -> {
                    leak.thrown = Optional.of(t.exception());
                    leak.recording = Optional.of(t.recording());
                });
                waits.forEach(w -> leak.waiters.add(g.thread(w.thread()).name()));
                leak.seen.add(new Seen(g, Optional.of(h), waits));
            }
        }
        inferFromRecordings(context, imse, leaks);
        return new ArrayList<>(leaks.values());
    }

    /**
     * Dumps that show no owners of java.util.concurrent locks (a recording's, a JSON dump, a dump
     * taken without -l), and a recording: threads wait for an exclusive lock whose owner no dump
     * shows, and a live thread's unlock() of that kind of lock threw IllegalMonitorStateException
     * in the code the waiters lock it from. That thread most likely holds the lock it took.
     */
    private static void inferFromRecordings(RuleContext context, List<Thrown> imse, Map<String, Leak> leaks) {
        if (imse.isEmpty()) {
            return;
        }
        Set<String> shownHeld = new java.util.HashSet<>();
        for (Leak l : leaks.values()) {
            shownHeld.add(l.lock.className());
        }
        for (Snapshot s : context.snapshots()) {
            if (s.synchronizerOwners().shown()) {
                continue;
            }
            LockGraph g = context.graph(s);
            Map<String, List<Wait>> byLock = HiddenOwners.unheldWaits(g);
            for (List<Wait> waits : byLock.values()) {
                LockRef lock = waits.get(0).lock();
                if (shownHeld.contains(lock.className())) {
                    continue;
                }
                Set<String> callers = lockCallers(g, waits);
                Optional<Thrown> thrown = unlockThrew(imse, -1, null, lock, callers);
                if (thrown.isEmpty()) {
                    continue;
                }
                Recording.ThrownException x = thrown.get().exception();
                Optional<JvmThread> live = g.snapshot().threads().stream()
                        .filter(t -> t.alive() && (t.javaId().isPresent() ? t.javaId().getAsLong() == x.threadId() : t.name().equals(x.threadName())))
                        .findFirst();
                if (live.isEmpty() || waits.stream().anyMatch(w -> w.thread() == live.get().index())) {
                    continue; // the thrower is gone (an orphan, not a leak), or it waits for the lock itself
                }
                Leak leak = leaks.computeIfAbsent(x.threadName() + "|" + lock.className(),
                        k -> new Leak(lock, x.threadName(), live, true));
                leak.bases.add(Basis.UNLOCK_THREW);
                leak.thrown = Optional.of(x);
                leak.recording = Optional.of(thrown.get().recording());
                waits.forEach(w -> leak.waiters.add(g.thread(w.thread()).name()));
                leak.seen.add(new Seen(g, Optional.empty(), waits));
            }
        }
    }

    /** An IllegalMonitorStateException and the recording that caught it. */
    record Thrown(Recording.ThrownException exception, Recording recording) {
    }

    /**
     * Of {@code imse}, the last IllegalMonitorStateException a thread's unlock() of this kind of lock threw: by
     * thread id or name; or, with {@code threadId} -1 and no name, by any thread whose throw site
     * is in one of {@code callers}, the classes the waiters lock the lock from.
     */
    static Optional<Thrown> unlockThrew(List<Thrown> imse, long threadId, String threadName, LockRef lock, Set<String> callers) {
        String family = Frame.topLevelClass(lock.className());
        Thrown last = null;
        for (Thrown t : imse) {
            Recording.ThrownException x = t.exception();
            boolean fromUnlock = x.stack().stream().anyMatch(f -> f.className().startsWith(family)
                    && (f.methodName().equals("tryRelease") || f.methodName().equals("unlock")));
            if (!fromUnlock) {
                continue;
            }
            boolean sameThread = threadId >= 0 ? x.threadId() == threadId : threadName != null && x.threadName().equals(threadName);
            boolean sameCode = threadId < 0 && threadName == null
                    && x.stack().stream().anyMatch(f -> callers.contains(f.className()));
            if (sameThread || sameCode) {
                last = t;
            }
        }
        return Optional.ofNullable(last);
    }

    /** The classes whose code asks for the lock: the frame under each waiter's lock() call. */
    static Set<String> lockCallers(LockGraph g, List<Wait> waits) {
        Set<String> out = new LinkedHashSet<>();
        for (Wait w : waits) {
            w.frame().ifPresent(f -> out.add(f.className()));
        }
        return out;
    }

    /**
     * What a heap dump says: the lock has an owner and waiters, and no object's field points to it
     * any more, nor does a frame of its owner: only its waiters' frames reach it.
     */
    private static boolean unreferenced(Snapshot s, Hold h) {
        for (SynchronizerState st : s.synchronizers()) {
            if (st.lock().id().equals(h.lock().id())) {
                return st.referrersKnown() && st.referrers().isEmpty() && !st.queued().isEmpty()
                        && !st.frameReferrers().contains(h.thread());
            }
        }
        return false;
    }
}
