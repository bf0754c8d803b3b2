package io.lockscope.analyzer.threaddump;

import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Owners that a waiting thread's lines name by Java thread id ({@code Blocked by 13 (auditor)},
 * {@code owned by stocker id=12}), in renderings of ThreadMXBean that do not show every lock a
 * thread holds under its own stack. A named owner among the dump's threads holds that lock,
 * whether or not its stack shows it. A named owner the dump does not list, of a lock a thread is
 * parked on, ended holding it (see {@link UnlistedOwners}); of a monitor, it cannot have, and the
 * name is left alone.
 */
final class NamedOwners {

    private record Named(long id, String name, LockRef lock, boolean parked, SourceRef at) {
    }

    private final List<Named> named = new ArrayList<>();

    /** A waiter's line names thread {@code id} as the owner of {@code lock}; {@code parked}: a java.util.concurrent lock. */
    void add(long id, String name, LockRef lock, boolean parked, SourceRef at) {
        if (id >= 0) {
            named.add(new Named(id, name, lock, parked, at));
        }
    }

    /** The dump's threads, built, each with the locks it was named owner of; the owners it does not list after them. */
    List<JvmThread> build(List<ForeignThread> threads, String file) {
        Map<Long, ForeignThread> byId = new HashMap<>();
        threads.forEach(t -> t.javaId.ifPresent(id -> byId.putIfAbsent(id, t)));
        UnlistedOwners unlisted = new UnlistedOwners();
        for (Named n : named) {
            ForeignThread owner = byId.get(n.id());
            if (owner != null) {
                owner.owns(n.lock());
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
