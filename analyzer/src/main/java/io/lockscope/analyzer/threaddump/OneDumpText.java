package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Snapshot;
import java.io.IOException;

/** A decoder of a text that holds one dump, read a line at a time; what was read of a text that broke off is kept. */
abstract class OneDumpText implements LineSource.LineConsumer {

    /** Reads the dump; null if the text held no thread. */
    final Snapshot decode(LineSource lines) throws IOException {
        lines.forEach(this, this::endThread);
        return snapshot();
    }

    /** The thread being read, if any, has ended: the next thread starts, or the text ended. */
    abstract void endThread();

    /** The dump of the threads read; null if none was. */
    abstract Snapshot snapshot();
}
