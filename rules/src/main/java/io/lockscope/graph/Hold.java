package io.lockscope.graph;

import io.lockscope.model.Frame;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import java.util.Optional;

/** A thread holds a lock. {@code frame} is the frame that took it, when the dump shows one. */
public record Hold(int thread, LockRef lock, Optional<Frame> frame, SourceRef at) {
}
