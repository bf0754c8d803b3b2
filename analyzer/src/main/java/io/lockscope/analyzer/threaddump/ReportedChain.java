package io.lockscope.analyzer.threaddump;

import io.lockscope.model.LockRef;
import io.lockscope.model.ReportedDeadlock;
import io.lockscope.model.SourceRef;
import java.util.ArrayList;
import java.util.List;

/**
 * A deadlock as a JVM prints it, read one line at a time: a thread, the lock it waits for, the
 * thread that holds that lock, which waits in turn. HotSpot names each waiter on a line of its
 * own ({@link DeadlockSection}); JRockit's lock chains and J9's 1LKDEADLOCK section name the
 * holder as the next waiter. A link is kept only when the waiter, its lock and the holder are all
 * named.
 */
final class ReportedChain {

    private final String file;
    private final long line;
    private final List<ReportedDeadlock.Link> links = new ArrayList<>();
    private String waiter;
    private LockRef lock;

    /** A chain printed from {@code line} of {@code file} on. */
    ReportedChain(String file, long line) {
        this.file = file;
        this.line = line;
    }

    /** The thread the next lines are about: it waits for a lock they name. */
    void waiter(String name) {
        waiter = name;
        lock = null;
    }

    /** The lock the current waiter waits for. */
    void waitsFor(LockRef l) {
        lock = l;
    }

    /** The thread that holds the current waiter's lock; it is the waiter the chain goes on with. */
    void heldBy(String holder) {
        if (waiter != null && lock != null) {
            links.add(new ReportedDeadlock.Link(waiter, lock, holder));
        }
        waiter(holder);
    }

    /** Whether the chain has come back to its first thread: the ring is whole. */
    boolean closed() {
        return !links.isEmpty() && links.get(0).thread().equals(waiter);
    }

    /** The ring read; null if no link was whole. */
    ReportedDeadlock finish() {
        return links.isEmpty() ? null : new ReportedDeadlock(links, SourceRef.line(file, line));
    }
}
