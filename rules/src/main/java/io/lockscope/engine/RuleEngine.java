package io.lockscope.engine;

import io.lockscope.model.JvmHistory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs every enabled rule over every JVM. */
public final class RuleEngine {

    private final List<Rule> rules;

    public RuleEngine(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The built-in rules, found through {@link ServiceLoader}. Fails on a duplicate id. */
    public static List<Rule> builtIn() {
        List<Rule> found = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Rule rule : ServiceLoader.load(Rule.class, Rule.class.getClassLoader())) {
            String previous = seen.put(rule.info().id(), rule.getClass().getName());
            if (previous != null) {
                throw new IllegalStateException("rule id '" + rule.info().id() + "' is used by both "
                        + previous + " and " + rule.getClass().getName());
            }
            found.add(rule);
        }
        found.sort(Comparator.comparing(r -> r.info().id()));
        return found;
    }

    /**
     * One problem, one finding: findings of one rule in one JVM with the same fingerprint (the same
     * code, locks and kinds of thread, seen with other thread instances or in other dumps) become
     * one, keeping the first one's words, all the threads and locks, and the evidence of the first
     * and last dumps (see {@link Findings}, which rules also use to merge as they go).
     */
    static List<Finding> mergeSameProblem(List<Finding> findings) {
        Findings merged = new Findings();
        findings.forEach(merged::add);
        return new ArrayList<>(merged);
    }

    /** What the rules found in one JVM, and the rules that could not tell there, with why. */
    private record JvmOutcome(String jvm, List<Finding> findings, Map<String, String> notApplicable) {
    }

    /**
     * Every JVM checked, side by side on as many threads as there are cores (a JVM's rules share its
     * graphs, and JVMs share nothing), and taken in the order of the JVMs, so that the outcome is
     * the same whichever finishes first.
     */
    private List<JvmOutcome> checkEach(List<JvmHistory> jvms, Set<String> enabled, RuleSettings settings, IntConsumer jvmsDone) {
        int threads = Math.min(jvms.size(), Runtime.getRuntime().availableProcessors());
        AtomicInteger done = new AtomicInteger();
        if (threads <= 1) {
            List<JvmOutcome> out = new ArrayList<>();
            for (JvmHistory jvm : jvms) {
                out.add(check(jvm, enabled, settings, RuleContext.KEPT_THREADS));
                jvmsDone.accept(done.incrementAndGet());
            }
            return out;
        }
        long keptThreads = RuleContext.KEPT_THREADS / threads; // the graphs of all JVMs checked at once share the budget
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lockscope-rules");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<JvmOutcome>> running = new ArrayList<>();
            for (JvmHistory jvm : jvms) {
                running.add(pool.submit(() -> {
                    JvmOutcome o = check(jvm, enabled, settings, keptThreads);
                    synchronized (done) { // told in order: 1, 2, 3 ...
                        jvmsDone.accept(done.incrementAndGet());
                    }
                    return o;
                }));
            }
            List<JvmOutcome> out = new ArrayList<>();
            for (Future<JvmOutcome> f : running) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while checking the rules");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private JvmOutcome check(JvmHistory jvm, Set<String> enabled, RuleSettings settings, long keptThreads) {
        List<Finding> found = new ArrayList<>();
        Map<String, String> notApplicable = new LinkedHashMap<>();
        RuleContext shared = new RuleContext(jvm, keptThreads);
        for (Rule rule : rules) {
            String id = rule.info().id();
            if (!enabled.contains(id) || !settings.enabled(id)) {
                continue;
            }
            RuleContext context = shared.forRule(rule.info(), settings);
            String missing = Input.missing(rule.info().needs(), context);
            RuleResult result = missing == null ? rule.check(context) : RuleResult.notApplicable(missing);
            if (result instanceof RuleResult.Findings f) {
                // merged rule by rule, so that a long log's findings never pile up across rules
                for (Finding finding : mergeSameProblem(f.findings())) {
                    found.add(settings.severity(id).map(finding::withSeverity).orElse(finding));
                }
            } else if (result instanceof RuleResult.NotApplicable na) {
                notApplicable.put(id, na.reason());
            }
        }
        return new JvmOutcome(jvm.id(), found, notApplicable);
    }

    /** Dumps a finding keeps the evidence of: the first ones and the last; the rest are counted, not listed (see {@link Findings}). */
    public static final int MAX_EVIDENCE_DUMPS = 6;

    public List<Rule> rules() {
        return rules;
    }

    /**
     * The findings, most severe first; how many a baseline suppressed; and per JVM the rules that
     * could not tell and why.
     */
    public record Outcome(List<Finding> findings, List<Finding> suppressed, Map<String, Map<String, String>> notApplicable) {
    }

    public Outcome run(List<JvmHistory> jvms, Set<String> enabled) {
        return run(jvms, enabled, RuleSettings.defaults(), Baseline.none());
    }

    public Outcome run(List<JvmHistory> jvms, Set<String> enabled, RuleSettings settings, Baseline baseline) {
        return run(jvms, enabled, settings, baseline, done -> { });
    }

    /** As {@link #run(List, Set, RuleSettings, Baseline)}, telling {@code jvmsDone} how many JVMs are checked each time one is. */
    public Outcome run(List<JvmHistory> jvms, Set<String> enabled, RuleSettings settings, Baseline baseline, IntConsumer jvmsDone) {
        List<Finding> found = new ArrayList<>();
        Map<String, Map<String, String>> notApplicable = new LinkedHashMap<>();
        for (JvmOutcome o : checkEach(jvms, enabled, settings, jvmsDone)) {
            found.addAll(o.findings());
            if (!o.notApplicable().isEmpty()) {
                notApplicable.put(o.jvm(), o.notApplicable());
            }
        }
        List<Finding> findings = new ArrayList<>();
        List<Finding> suppressed = new ArrayList<>();
        for (Finding f : mergeSameProblem(found)) {
            (baseline.contains(f) ? suppressed : findings).add(f);
        }
        findings.sort(Comparator.comparing(Finding::severity).reversed()
                .thenComparing(Finding::jvm).thenComparing(Finding::rule).thenComparing(Finding::title));
        return new Outcome(findings, suppressed, notApplicable);
    }
}
