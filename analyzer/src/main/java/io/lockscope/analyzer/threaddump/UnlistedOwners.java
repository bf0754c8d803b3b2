package io.lockscope.analyzer.threaddump;

import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Owners of java.util.concurrent locks that a ThreadInfo rendering names ({@code lockOwnerName},
 * the actuator's "owned by") while the dump does not list them. The JVM takes a lock's owner from
 * its {@code exclusiveOwnerThread}, which still references a thread that ended holding it, and
 * {@code dumpAllThreads} lists only live platform threads: such an owner has ended, or, on JDK 21
 * and later, is a virtual thread. It is added to the dump as a thread that is not alive and holds
 * those locks, as a heap dump shows a dead owner. An owner without a name is left out: virtual
 * threads usually have none, and a guess would call a live one dead.
 */
final class UnlistedOwners {

    private record Owner(String name, List<LockRef> locks, SourceRef at) {
    }

    private final Map<Long, Owner> owners = new LinkedHashMap<>();

    /** A thread parked on {@code lock} whose owner is thread {@code id}, named {@code name}. */
    void parkedOn(LockRef lock, long id, String name, SourceRef at) {
        if (id < 0 || name == null || name.isEmpty()) {
            return;
        }
        Owner o = owners.computeIfAbsent(id, k -> new Owner(name, new ArrayList<>(), at));
        if (!o.locks().contains(lock)) {
            o.locks().add(lock);
        }
    }

    /** Adds, after the listed threads, every named owner that is not among them. */
    void addTo(List<JvmThread> threads) {
        Set<Long> listed = new HashSet<>();
        for (JvmThread t : threads) {
            t.javaId().ifPresent(listed::add);
        }
        owners.forEach((id, o) -> {
            if (!listed.contains(id)) {
                threads.add(new JvmThread(threads.size(), o.name(), OptionalLong.of(id), Optional.empty(), Optional.empty(),
                        ThreadState.TERMINATED, "not among the dump's threads; named as the owner of a lock", false, false,
                        Optional.empty(), List.of(), Optional.of(List.copyOf(o.locks())), o.at(), false));
            }
        });
        owners.clear();
    }
}
