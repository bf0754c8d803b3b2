package io.lockscope.analyzer;

import io.lockscope.analyzer.input.Discovery;
import io.lockscope.analyzer.input.InputReader;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.analyzer.jvm.JvmGrouper;
import io.lockscope.engine.Baseline;
import io.lockscope.engine.Rule;
import io.lockscope.engine.RuleEngine;
import io.lockscope.engine.RuleSettings;
import io.lockscope.model.JvmHistory;
import io.lockscope.model.Snapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Discover, read, group by JVM, check: the whole analysis, with no output of its own. */
public final class Analysis {

    /** Everything a writer needs. */
    public record Result(List<InputReport> inputs, List<JvmHistory> jvms, RuleEngine.Outcome outcome, List<Rule> rules) {

        public boolean nothingRead() {
            return inputs.stream().noneMatch(i -> i.status() == InputStatus.READ || i.status() == InputStatus.PARTIAL);
        }
    }

    /** Progress for a person watching: "reading 3 of 40: dumps/a.txt". */
    public interface Progress {
        void reading(int index, int total, String path);

        /** Within one large file: which pass over it, how far (bytes of the uncompressed data), of how much (0: unknown). */
        default void within(String path, int pass, long position, long size) {
        }

        Progress NONE = (i, t, p) -> { };
    }

    private final List<Rule> rules;
    private final Set<String> enabled;
    private final RuleSettings settings;
    private final Baseline baseline;
    private InputDeadline deadline = InputDeadline.DEFAULT;
    private int spillThreshold = io.lockscope.analyzer.store.SnapshotSpill.IN_MEMORY_THREADS;

    public Analysis(List<Rule> rules, Set<String> enabled) {
        this(rules, enabled, RuleSettings.defaults(), Baseline.none());
    }

    public Analysis(List<Rule> rules, Set<String> enabled, RuleSettings settings, Baseline baseline) {
        this.rules = List.copyOf(rules);
        this.enabled = Set.copyOf(enabled);
        this.settings = settings;
        this.baseline = baseline;
    }

    /** How long one input may take to read before lockscope gives up on it and goes on. */
    public Analysis withDeadline(InputDeadline d) {
        this.deadline = d;
        return this;
    }

    /** Threads kept in the heap before snapshots keep theirs on disk (see SnapshotSpill); for tests. */
    public Analysis withSpillThreshold(int threads) {
        this.spillThreshold = threads;
        return this;
    }

    public static Analysis withBuiltInRules() {
        List<Rule> rules = RuleEngine.builtIn();
        return new Analysis(rules, rules.stream().map(r -> r.info().id()).collect(Collectors.toSet()));
    }

    public Result run(List<Path> paths, Progress progress) {
        return run(paths, null, progress);
    }

    /** As {@link #run(List, Progress)}, with inputs named relative to {@code displayRoot}. */
    public Result run(List<Path> paths, Path displayRoot, Progress progress) {
        Discovery.Result found = Discovery.walk(paths, displayRoot);
        List<InputReport> inputs = new ArrayList<>(found.problems());
        List<Snapshot> snapshots = new ArrayList<>();
        List<io.lockscope.model.Recording> recordings = new ArrayList<>();
        int i = 0;
        // the spill file lives as long as the run's temporary folder: the snapshots refer to it until the reports are written
        io.lockscope.analyzer.store.SnapshotSpill spill = new io.lockscope.analyzer.store.SnapshotSpill(spillThreshold);
        for (Discovery.Candidate c : found.files()) {
            progress.reading(++i, found.files().size(), c.display());
            GuardedRead read = GuardedRead.of(c, deadline, spill, (pass, position, size) -> progress.within(c.display(), pass, position, size));
            inputs.addAll(read.reports());
            snapshots.addAll(read.snapshots());
            recordings.addAll(read.recordings());
        }
        List<JvmHistory> jvms = JvmGrouper.group(snapshots, recordings);
        RuleEngine engine = new RuleEngine(rules);
        return new Result(inputs, jvms, engine.run(jvms, enabled, settings, baseline), rules);
    }
}
