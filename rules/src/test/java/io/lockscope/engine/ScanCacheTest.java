package io.lockscope.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The cache the rules' graphs and the spill's threads are kept in, under the way rules ask for them:
 * one walk over a JVM's snapshots after another, each longer than the cache.
 */
class ScanCacheTest {

    /** Walks keys 0..n-1 as a rule walks the snapshots, making what is missing; returns how many were made. */
    private static int walk(ScanCache<Integer, String> cache, int n, IntPredicate alsoThePrevious) {
        int made = 0;
        for (int i = 0; i < n; i++) {
            for (int k : alsoThePrevious.test(i) && i > 0 ? new int[] {i - 1, i} : new int[] {i}) {
                if (cache.get(k) == null) {
                    cache.put(k, "graph " + k);
                    made++;
                }
            }
        }
        return made;
    }

    @Test
    void walksLongerThanTheCacheFindTheFirstEntriesEveryTime() {
        ScanCache<Integer, String> cache = new ScanCache<>(100, v -> 1);
        assertEquals(1_000, walk(cache, 1_000, i -> false), "the first walk makes every entry");
        // a least-recently-used cache of 100 would have evicted each entry just before the walk came back to it
        assertEquals(900, walk(cache, 1_000, i -> false), "the second finds the first hundred");
        assertEquals(900, walk(cache, 1_000, i -> false));
        assertEquals("graph 42", cache.get(42));
    }

    @Test
    void aWalkThatLooksBackOneStepFindsThePreviousEntry() {
        ScanCache<Integer, String> cache = new ScanCache<>(10, v -> 1);
        assertEquals(500, walk(cache, 500, i -> true), "each entry made once, though asked for twice");
    }

    @Test
    void entriesCountByTheirWeight() {
        ScanCache<Integer, String> cache = new ScanCache<>(100, v -> 40);
        for (int i = 0; i < 20; i++) {
            cache.put(i, "graph of 40 threads");
        }
        assertEquals("graph of 40 threads", cache.get(0));
        assertEquals("graph of 40 threads", cache.get(1));
        assertNull(cache.get(2), "a third would pass the budget; nor is it among the last few");
        assertEquals("graph of 40 threads", cache.get(19), "one of the last few");
        assertNull(cache.get(19 - ScanCache.RECENT));
    }
}
