package io.lockscope.analyzer.threaddump;

import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Owners that a waiting thread's lines name by Java thread id ({@code Blocked by 13 (auditor)},
 * {@code owned by stocker id=12}), in renderings of ThreadMXBean that do not show every lock a
 * thread holds under its own stack. A named owner among the dump's threads holds that lock,
 * whether or not its stack shows it. A named owner the dump does not list, of a lock a thread is
 * parked on, ended holding it (see {@link UnlistedOwners}); of a monitor, it cannot have, and the
 * name is left alone. A dump that asks for one thread at a time (Hadoop's) is no single instant: a
 * hot lock changes hands between two of its waiters, who then name two owners. There the waiter
 * asked last names the owner, as the latest word; and an owner that was itself asked before, while
 * it still waited for that lock, has got it since: that wait is over.
 */
final class NamedOwners {

    private record Named(long id, String name, LockRef lock, boolean parked, SourceRef at) {
    }

    private final List<Named> named = new ArrayList<>();
    private final boolean oneInstant;

    /** {@code oneInstant}: whether the dump shows its threads at one instant (ThreadMXBean.dumpAllThreads does). */
    NamedOwners(boolean oneInstant) {
        this.oneInstant = oneInstant;
    }

    /**
     * A waiter's line names thread {@code id} as the owner of the lock it waits for in the way
     * {@code kind} says: blocked on a monitor, or parked on a java.util.concurrent lock. A thread in
     * Object.wait() has let its monitor go, and the owner named then holds nothing of it.
     */
    void add(long id, String name, LockRef lock, LockAction.Kind kind, SourceRef at) {
        if (id >= 0 && kind != LockAction.Kind.WAITING_ON) {
            named.add(new Named(id, name, lock, kind == LockAction.Kind.PARKING, at));
        }
    }

    /** The dump's threads, built, each with the locks it was named owner of; the owners it does not list after them. */
    List<JvmThread> build(List<ForeignThread> threads, String file) {
        return build(threads, file, true);
    }

    /**
     * As {@link #build(List, String)}, for a listing that may leave threads out ({@code allListed}
     * false: Arthas's {@code thread -n 3}): a named owner it does not list is not known to have
     * ended. It is added as a live thread of unknown state that holds the lock.
     */
    List<JvmThread> build(List<ForeignThread> threads, String file, boolean allListed) {
        Map<Long, ForeignThread> byId = new HashMap<>();
        threads.forEach(t -> t.javaId.ifPresent(id -> byId.putIfAbsent(id, t)));
        UnlistedOwners unlisted = new UnlistedOwners();
        Map<String, Named> latest = new HashMap<>();
        named.forEach(n -> latest.put(n.lock().id(), n));
        for (Named n : named) {
            if (!oneInstant && latest.get(n.lock().id()) != n) {
                continue; // an owner that a waiter asked later no longer names
            }
            ForeignThread owner = byId.get(n.id());
            if (owner != null) {
                if (!oneInstant && owner.line < n.at().position()) {
                    owner.noLongerWaitsFor(n.lock().id()); // it was asked before it got the lock
                }
                owner.owns(n.lock());
            } else if (!allListed) {
                ForeignThread elsewhere = new ForeignThread(n.name(), n.at().position());
                elsewhere.javaId = OptionalLong.of(n.id());
                elsewhere.detail = "not in this listing; named as the owner of a lock";
                elsewhere.owns(n.lock());
                byId.put(n.id(), elsewhere);
                threads.add(elsewhere);
            } else if (n.parked()) {
                unlisted.parkedOn(n.lock(), n.id(), n.name(), n.at());
            }
        }
        named.clear();
        List<JvmThread> built = ForeignThread.buildAll(threads, file);
        unlisted.addTo(built);
        return built;
    }
}
