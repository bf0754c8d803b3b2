package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Snapshot;

/** Receives snapshots one at a time as a reader decodes them, so that memory stays bounded. */
@FunctionalInterface
public interface SnapshotSink {
    void accept(Snapshot snapshot);
}
