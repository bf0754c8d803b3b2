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
}
