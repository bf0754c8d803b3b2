package io.lockscope.graph;

import io.lockscope.model.Frame;
import io.lockscope.model.LockKind;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import java.util.Optional;

/** A thread waits to acquire a lock that has an owner (not a condition or a queue). */
public record Wait(int thread, LockRef lock, LockKind kind, Optional<Frame> frame, SourceRef at) {
}
