package io.lockscope.engine;

import io.lockscope.model.LockRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One distinct problem a rule found in one JVM: what the rule found ({@link Problem}, whose words
 * are its title and detail), what to do about it, the threads and locks it involves, and the evidence.
 *
 * @param hint        what to do about it: the rule's, or the problem's own where the facts call for another
 * @param threads     names of every thread involved, dead owners included
 * @param fingerprint stable across runs and dumps of the same problem: rule, lock classes,
 *                    thread names, top frames; baselines match on it
 * @param dumps       in how many dumps it was seen: the evidence keeps the first few and the last
 *                    (see {@link RuleEngine#MAX_EVIDENCE_DUMPS}), this counts them all
 * @param similar     how many more findings with the same fingerprint were merged into this one
 *                    (other thread instances, other dumps)
 */
public record Finding(
        String rule,
        Severity severity,
        String jvm,
        Problem problem,
        String hint,
        List<String> threads,
        List<LockRef> locks,
        List<Evidence> evidence,
        String fingerprint,
        int dumps,
        int similar) {

    public Finding {
        threads = List.copyOf(threads);
        locks = List.copyOf(locks);
        evidence = List.copyOf(evidence);
    }

    /** A finding seen in the dumps its evidence names. */
    Finding(String rule, Severity severity, String jvm, Problem problem, String hint, List<String> threads,
            List<LockRef> locks, List<Evidence> evidence, String fingerprint) {
        this(rule, severity, jvm, problem, hint, threads, locks, evidence, fingerprint,
                (int) evidence.stream().map(Evidence::snapshot).distinct().count(), 0);
    }

    /** The problem's title, and how many more like it were merged into this finding. */
    public String title() {
        return similar == 0 ? problem.title() : problem.title() + " (and " + similar + " more like it)";
    }

    /** What the finding rests on and how sure it is, for people; may be empty. */
    public String detail() {
        return problem.detail();
    }

    /**
     * A short id for links: the rule and a hash of the fingerprint and of the files its evidence is
     * in. Not of the JVM's number in the report, which changes when other inputs come or go: the
     * same problem in the same files keeps its anchor from run to run.
     */
    public String id() {
        String where = evidence.stream().map(e -> e.at().file()).distinct().sorted().reduce((a, b) -> a + "\n" + b).orElse(jvm);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((where + "\n" + fingerprint).getBytes(StandardCharsets.UTF_8));
            return rule + "-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Finding withSeverity(Severity s) {
        return new Finding(rule, s, jvm, problem, hint, threads, locks, evidence, fingerprint, dumps, similar);
    }
}
