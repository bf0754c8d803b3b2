package io.lockscope.engine;

import io.lockscope.graph.LockGraph;
import io.lockscope.model.JvmHistory;
import io.lockscope.model.Snapshot;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** One JVM, with its lock graphs built once for all rules. */
public final class RuleContext {

    private final JvmHistory jvm;
    private final Map<Snapshot, LockGraph> graphs = new IdentityHashMap<>();

    public RuleContext(JvmHistory jvm) {
        this.jvm = jvm;
    }

    public JvmHistory jvm() {
        return jvm;
    }

    public List<Snapshot> snapshots() {
        return jvm.snapshots();
    }

    public LockGraph graph(Snapshot snapshot) {
        return graphs.computeIfAbsent(snapshot, LockGraph::of);
    }
}
