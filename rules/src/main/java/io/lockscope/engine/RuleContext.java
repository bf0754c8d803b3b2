package io.lockscope.engine;

import io.lockscope.graph.LockGraph;
import io.lockscope.model.JvmHistory;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One JVM, with its lock graphs built once for all rules. */
public final class RuleContext {

    private final JvmHistory jvm;
    private final RuleSettings settings;
    private final RuleInfo rule;
    private final ScanCache<Same, LockGraph> graphs;
    /** Facts that several rules derive alike from this JVM, found once (the rules of one JVM run one after the other). */
    private final Map<Object, Object> shared;

    public RuleContext(JvmHistory jvm) {
        this(jvm, KEPT_THREADS);
    }

    /** A JVM whose graphs may keep this many threads in all (less than {@link #KEPT_THREADS} when JVMs are checked side by side). */
    RuleContext(JvmHistory jvm, long keptThreads) {
        this(jvm, RuleSettings.defaults(), null, new ScanCache<>(keptThreads, g -> g.snapshot().threads().size()), new HashMap<>());
    }

    private RuleContext(JvmHistory jvm, RuleSettings settings, RuleInfo rule, ScanCache<Same, LockGraph> graphs,
            Map<Object, Object> shared) {
        this.jvm = jvm;
        this.settings = settings;
        this.rule = rule;
        this.graphs = graphs;
        this.shared = shared;
    }

    /** The same JVM, graphs and shared facts, seen by one rule with its settings. */
    RuleContext forRule(RuleInfo info, RuleSettings s) {
        return new RuleContext(jvm, s, info, graphs, shared);
    }

    /**
     * What {@code find} finds in this JVM, found by the first rule that asks and handed to the others
     * (leaked-lock and blocking-while-holding both need the JVM's leaks). The key says what was
     * asked, settings included.
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> T shared(Object key, java.util.function.Supplier<T> find) {
        Object known = shared.get(key);
        if (known == null) {
            known = find.get();
            shared.put(key, known);
        }
        return (T) known;
    }

    public long threshold(Threshold t) {
        return settings.threshold(rule.id(), t);
    }

    /**
     * A finding of the rule that runs, in this JVM: its id, severity and hint from the rule's
     * {@link RuleMeta} (or the problem's own severity, when the facts call for another).
     */
    public Finding finding(Problem problem, List<String> threads, List<LockRef> locks, List<Evidence> evidence, String fingerprint) {
        return new Finding(rule.id(), problem.severity().orElse(rule.defaultSeverity()), jvm.id(), problem,
                problem.hint().isEmpty() ? rule.hint() : problem.hint(), threads, locks, evidence, fingerprint);
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

    /**
     * Threads that the graphs kept for the rules to share may hold, in all the JVMs checked at once: a
     * graph keeps its snapshot's threads, about 640 bytes each when their frames are shared (measured
     * on a long log), and all of them may take a third of the heap. That is every graph of a JVM of
     * ordinary size, and of a JVM of thousands of dumps, the first ones that fit and the last few
     * used, so that memory does not grow with the log and every rule's walk over the dumps finds the
     * same ones built (see {@link ScanCache}).
     */
    static final long KEPT_THREADS = Math.max(20_000, Runtime.getRuntime().maxMemory() / 3 / 640);

    /** The snapshot's lock graph, built once and shared by the rules (see {@link #KEPT_THREADS}). */
    public LockGraph graph(Snapshot snapshot) {
        Same key = new Same(snapshot);
        LockGraph g = graphs.get(key);
        if (g == null) {
            g = LockGraph.of(snapshot);
            graphs.put(key, g);
        }
        return g;
    }

    /** A snapshot by identity: a record's own equality would compare (and read back) every thread. */
    private static final class Same {
        private final Snapshot snapshot;

        Same(Snapshot snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Same other && other.snapshot == snapshot;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(snapshot);
        }
    }
}
