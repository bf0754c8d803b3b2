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
    public record Result(List<InputReport> inputs, List<JvmHistory> jvms, RuleEngine.Outcome outcome, List<Rule> rules,
            Timings timings) {

        public boolean nothingRead() {
            return inputs.stream().noneMatch(i -> i.status() == InputStatus.READ || i.status() == InputStatus.PARTIAL);
        }
    }

    /** How long each stage of the run took: reading the inputs, grouping the snapshots by JVM, checking the rules. */
    public record Timings(java.time.Duration reading, java.time.Duration grouping, java.time.Duration checking) {
    }

    /** Progress for a person watching: "reading 3 of 40: dumps/a.txt", then "checking the rules: 12 of 31 JVMs". */
    public interface Progress {
        void reading(int index, int total, String path);

        /** The run has moved on from reading: what it does now, in a few words. */
        default void stage(String what) {
        }

        /**
         * Within one large file: which pass over it, how far (bytes of the uncompressed data), of how much (0:
         * unknown); pass 0 is a pipe's copy, before it is read.
         */
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

    /**
     * How many inputs are read at once: one per core, and no more than one per 512 MB of heap (a
     * heap dump's or a recording's reader needs a few hundred MB however big the file is).
     */
    static int readers() {
        long perReader = 512L << 20;
        return (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / perReader));
    }

    public Result run(List<Path> paths, Progress progress) {
        return run(paths, null, progress);
    }

    /** As {@link #run(List, Progress)}, with inputs named relative to {@code displayRoot}. */
    public Result run(List<Path> paths, Path displayRoot, Progress progress) {
        long started = System.nanoTime();
        Discovery.Result found = Discovery.walk(paths, displayRoot);
        List<InputReport> inputs = new ArrayList<>(found.problems());
        List<Snapshot> snapshots = new ArrayList<>();
        List<io.lockscope.model.Recording> recordings = new ArrayList<>();
        // the spill file lives as long as the run's temporary folder: the snapshots refer to it until the reports are written
        io.lockscope.analyzer.store.SnapshotSpill spill = new io.lockscope.analyzer.store.SnapshotSpill(spillThreshold);
        // inputs read side by side, as many as there are cores and heap for; what they hold is taken in
        // the order of the inputs, so the outcome is the same whichever read finishes first
        List<Discovery.Candidate> files = found.files();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(files.size(), readers())), r -> {
                    Thread t = new Thread(r, "lockscope-input");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<java.util.concurrent.Future<GuardedRead>> reads = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Discovery.Candidate c = files.get(i);
                int index = i + 1;
                reads.add(pool.submit(() -> {
                    progress.reading(index, files.size(), c.display());
                    return GuardedRead.of(c, deadline, spill, (pass, position, size) -> progress.within(c.display(), pass, position, size));
                }));
            }
            for (java.util.concurrent.Future<GuardedRead> f : reads) {
                GuardedRead read = f.get();
                inputs.addAll(read.reports());
                snapshots.addAll(read.snapshots());
                recordings.addAll(read.recordings());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while reading the inputs");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        spill.finishWriting();
        long read = System.nanoTime();
        progress.stage(String.format("grouping %,d %s by the JVM that wrote them", snapshots.size(),
                snapshots.size() == 1 ? "snapshot" : "snapshots"));
        List<JvmHistory> jvms = JvmGrouper.group(snapshots, recordings);
        long grouped = System.nanoTime();
        RuleEngine engine = new RuleEngine(rules);
        RuleEngine.Outcome outcome = engine.run(jvms, enabled, settings, baseline, done -> progress.stage(
                String.format("checking the rules: %,d of %,d %s", done, jvms.size(), jvms.size() == 1 ? "JVM" : "JVMs")));
        long checked = System.nanoTime();
        return new Result(inputs, jvms, outcome, rules, new Timings(java.time.Duration.ofNanos(read - started),
                java.time.Duration.ofNanos(grouped - read), java.time.Duration.ofNanos(checked - grouped)));
    }
}
