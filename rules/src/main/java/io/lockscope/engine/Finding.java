package io.lockscope.engine;

import io.lockscope.model.LockRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One distinct problem a rule found in one JVM.
 *
 * @param threads     names of every thread involved, dead owners included
 * @param detail      what the finding rests on and how sure it is, for people; may be empty
 * @param fingerprint stable across runs and dumps of the same problem: rule, lock classes,
 *                    thread names, top frames; baselines match on it
 * @param dumps       in how many dumps it was seen: the evidence keeps the first few and the last
 *                    (see {@link RuleEngine#MAX_EVIDENCE_DUMPS}), this counts them all
 */
public record Finding(
        String rule,
        Severity severity,
        String title,
        String jvm,
        List<String> threads,
        List<LockRef> locks,
        List<Evidence> evidence,
        String detail,
        String hint,
        String fingerprint,
        int dumps) {

    public Finding {
        threads = List.copyOf(threads);
        locks = List.copyOf(locks);
        evidence = List.copyOf(evidence);
    }

    /** A finding seen in the dumps its evidence names. */
    public Finding(String rule, Severity severity, String title, String jvm, List<String> threads, List<LockRef> locks,
            List<Evidence> evidence, String detail, String hint, String fingerprint) {
        this(rule, severity, title, jvm, threads, locks, evidence, detail, hint, fingerprint,
                (int) evidence.stream().map(Evidence::snapshot).distinct().count());
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
        return new Finding(rule, s, title, jvm, threads, locks, evidence, detail, hint, fingerprint, dumps);
    }
}
