package io.lockscope.graph;

import java.util.List;

/**
 * Threads that wait for each other in a ring: {@code threads.get(i)} waits for
 * {@code waits.get(i).lock()}, held by {@code threads.get(i + 1)} (wrapping around).
 * {@code members} has every thread of the strongly connected part of the wait-for graph
 * the ring was found in; for the usual deadlock it is the ring itself.
 */
public record WaitForCycle(List<Integer> threads, List<Wait> waits, List<Integer> members) {

    public WaitForCycle {
        threads = List.copyOf(threads);
        waits = List.copyOf(waits);
        members = List.copyOf(members);
    }
}
