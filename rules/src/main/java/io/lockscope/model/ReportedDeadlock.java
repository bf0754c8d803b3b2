package io.lockscope.model;

import java.util.List;

/**
 * A deadlock that the JVM itself printed in the dump ("Found one Java-level deadlock"). Kept
 * as a fact so that our own detection can be compared with it.
 */
public record ReportedDeadlock(List<Link> links, SourceRef at) {

    public ReportedDeadlock {
        links = List.copyOf(links);
    }

    /** "T1" waiting for lock L, which is held by "T2". */
    public record Link(String thread, LockRef lock, String heldBy) {
    }

    public List<String> threadNames() {
        return links.stream().map(Link::thread).toList();
    }

    /**
     * The links of the ring itself. HotSpot walks from each thread to the owner of the lock it
     * waits for, and prints the whole walk: when it set out from a thread queued behind the ring,
     * the chain ends on a thread in its middle ("A" waits for "B", "B" for "C", "C" for "B"), and
     * the ring is the part from that thread on. A chain whose last holder it never names is kept whole.
     */
    public List<Link> ring() {
        return links.subList(ringStart(), links.size());
    }

    /** The threads the chain passes before it reaches the ring: queued behind it, not in it. */
    public List<String> leadIn() {
        return links.subList(0, ringStart()).stream().map(Link::thread).toList();
    }

    private int ringStart() {
        if (links.isEmpty()) {
            return 0;
        }
        String closer = links.get(links.size() - 1).heldBy();
        for (int i = 0; i < links.size(); i++) {
            if (links.get(i).thread().equals(closer)) {
                return i;
            }
        }
        return 0;
    }
}
