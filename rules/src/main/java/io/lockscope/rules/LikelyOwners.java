package io.lockscope.rules;

import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * For the report's picture: the owners a dump does not show that would close a likely deadlock
 * (see {@link HiddenOwners}), by lock id, as thread indexes of the graph: the guessed links the
 * deadlock rule's "Likely deadlock" finding names.
 */
public final class LikelyOwners {

    private LikelyOwners() {
    }

    public static Map<String, Set<Integer>> of(LockGraph g) {
        Map<String, Set<Integer>> out = new LinkedHashMap<>();
        for (HiddenOwners.LikelyRing r : HiddenOwners.likelyRings(g)) {
            for (int i = 0; i < r.threads().size(); i++) {
                if (!r.shown().get(i)) {
                    Wait w = r.waits().get(i);
                    int owner = r.threads().get((i + 1) % r.threads().size());
                    out.computeIfAbsent(w.lock().id(), k -> new LinkedHashSet<>()).add(owner);
                }
            }
        }
        return out;
    }
}
