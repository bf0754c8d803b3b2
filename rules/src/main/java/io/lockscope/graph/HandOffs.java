package io.lockscope.graph;

import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockKind;
import io.lockscope.model.Snapshot;
import io.lockscope.model.ThreadState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What shows locks being handed over in one snapshot: the locks a running thread is caught
 * parking for, and the threads caught inside an unlock. A lock caught between two owners has
 * waiters and no owner for an instant, which is no sign that its owner died.
 */
record HandOffs(Set<String> wokenFor, List<Release> releases) {

    static HandOffs of(Snapshot snapshot, Set<String> ownedByAnyone) {
        return new HandOffs(wokenFor(snapshot, ownedByAnyone), releases(snapshot));
    }

    /**
     * Whether a lock with these waiters is being handed over: a thread caught leaving its park was
     * parked for it, or a thread is inside an unlock of a lock of its kind, called from the code its
     * waiters lock it from.
     */
    boolean handedOver(List<Wait> waiting, String lockId) {
        if (wokenFor.contains(lockId)) {
            return true;
        }
        if (waiting.isEmpty() || releases.isEmpty()) {
            return false;
        }
        String kind = Frame.topLevelClass(waiting.get(0).lock().className());
        for (Release r : releases) {
            if (r.lockClasses().contains(kind)
                    && waiting.stream().anyMatch(w -> w.frame().filter(f -> f.className().equals(r.caller().className())).isPresent())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The locks that a running thread is caught parking for: leaving its park (HotSpot's header says
     * "runnable" while its state still says parked, or its state says RUNNABLE), or entering it. Each
     * is being handed over (its owner unlocked and woke that thread), or that thread will try for
     * it again at once.
     */
    private static Set<String> wokenFor(Snapshot snapshot, Set<String> ownedByAnyone) {
        Set<String> out = new HashSet<>();
        for (JvmThread t : snapshot.threads()) {
            // RUNNABLE in park: it has just been woken, or is about to park and will find its permit
            if (!t.unparked() && t.state() != ThreadState.RUNNABLE) {
                continue;
            }
            for (Frame f : t.frames()) {
                for (LockAction a : f.locks()) {
                    if (a.kind() == LockAction.Kind.PARKING && (LockKind.ofParkBlocker(a.lock().className()).hasOwner()
                            || ownedByAnyone.contains(a.lock().id()))) {
                        out.add(a.lock().id());
                    }
                }
            }
        }
        return out;
    }

    /**
     * A live thread caught inside an unlock, after the lock's state was cleared (it would still be
     * listed as the owner before): the code that called unlock, and the lock classes on its way.
     */
    private record Release(Frame caller, Set<String> lockClasses) {
    }

    private static List<Release> releases(Snapshot snapshot) {
        List<Release> out = new ArrayList<>();
        for (JvmThread t : snapshot.threads()) {
            if (!t.alive() || t.state() != ThreadState.RUNNABLE) {
                continue;
            }
            boolean releasing = false;
            Set<String> classes = new HashSet<>();
            for (Frame f : t.frames()) {
                if (!LockGraph.isLockMachinery(f.className())) {
                    if (releasing) {
                        classes.add(Frame.topLevelClass(f.className()));
                        out.add(new Release(f, classes));
                    }
                    break;
                }
                classes.add(Frame.topLevelClass(f.className()));
                String m = f.methodName();
                releasing |= f.className().startsWith("java.util.concurrent.locks.")
                        && (m.equals("release") || m.equals("releaseShared") || m.startsWith("unlock"));
            }
        }
        return out;
    }
}
