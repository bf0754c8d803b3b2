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
    private final RuleSettings settings;
    private final String rule;
    private final Map<Snapshot, LockGraph> graphs;

    public RuleContext(JvmHistory jvm) {
        this(jvm, RuleSettings.defaults(), "", new IdentityHashMap<>());
    }

    private RuleContext(JvmHistory jvm, RuleSettings settings, String rule, Map<Snapshot, LockGraph> graphs) {
        this.jvm = jvm;
        this.settings = settings;
        this.rule = rule;
        this.graphs = graphs;
    }

    /** The same JVM and graphs, seen by one rule with its settings. */
    RuleContext forRule(String ruleId, RuleSettings s) {
        return new RuleContext(jvm, s, ruleId, graphs);
    }

    public long threshold(Threshold t) {
        return settings.threshold(rule, t);
    }

    public java.util.List<String> patterns(String kind) {
        return settings.patterns(kind);
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
