package io.lockscope.engine;

import io.lockscope.model.LockRef;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The findings of one rule over one JVM, merged as they are added: findings with the same
 * fingerprint (the same problem in another dump, or with other instances of the same threads)
 * become one as soon as they meet, with the evidence of at most
 * {@link RuleEngine#MAX_EVIDENCE_DUMPS} dumps kept. A rule that finds the same thing in each of
 * ten thousand dumps of a log so holds one finding, not ten thousand. A merged finding keeps the
 * first one's problem and counts the others ({@link Finding#similar}); adding one that was merged
 * already adds its count. The engine merges every rule's findings through this too.
 */
public final class Findings extends AbstractList<Finding> {

    private final Map<String, Merged> byKey = new LinkedHashMap<>();
    private List<Finding> view;

    private static final class Merged {
        final Finding first;
        int count;
        Severity severity;
        final LinkedHashSet<String> threads = new LinkedHashSet<>();
        final Map<String, LockRef> locks = new LinkedHashMap<>();
        final List<Evidence> evidence = new ArrayList<>();
        final Set<String> keptDumps = new HashSet<>();
        final Set<String> dumps = new HashSet<>();
        List<Evidence> lastDump = List.of();
        String lastLabel;

        Merged(Finding first) {
            this.first = first;
            this.severity = first.severity();
        }

        void add(Finding f) {
            count += 1 + f.similar();
            severity = severity.atLeast(f.severity()) ? severity : f.severity();
            threads.addAll(f.threads());
            f.locks().forEach(l -> locks.putIfAbsent(l.id(), l));
            for (Evidence e : f.evidence()) {
                dumps.add(e.snapshot());
                if (keptDumps.contains(e.snapshot()) || keptDumps.size() < RuleEngine.MAX_EVIDENCE_DUMPS - 1 && keptDumps.add(e.snapshot())) {
                    evidence.add(e);
                } else {
                    // beyond the first dumps only the latest one's evidence is kept
                    if (!e.snapshot().equals(lastLabel)) {
                        lastLabel = e.snapshot();
                        lastDump = new ArrayList<>();
                    }
                    lastDump.add(e);
                }
            }
        }

        Finding finding() {
            List<Evidence> all = new ArrayList<>(evidence);
            all.addAll(lastDump);
            return new Finding(first.rule(), severity, first.jvm(), first.problem(), first.hint(), List.copyOf(threads), List.copyOf(locks.values()), all,
                    first.fingerprint(), Math.max(dumps.size(), first.dumps()), count - 1);
        }
    }

    @Override
    public boolean add(Finding f) {
        view = null;
        byKey.computeIfAbsent(f.jvm() + "|" + f.rule() + "|" + f.fingerprint(), k -> new Merged(f)).add(f);
        return true;
    }

    private List<Finding> view() {
        if (view == null) {
            view = byKey.values().stream().map(Merged::finding).toList();
        }
        return view;
    }

    @Override
    public Finding get(int index) {
        return view().get(index);
    }

    @Override
    public int size() {
        return byKey.size();
    }
}
