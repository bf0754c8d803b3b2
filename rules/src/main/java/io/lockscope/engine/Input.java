package io.lockscope.engine;

import io.lockscope.model.Snapshot;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Facts a rule needs from its inputs, each with how to tell whether one JVM's material shows it.
 * A rule lists them in {@link RuleMeta#needs()}; any one of them will do, and the engine reports
 * the rule as not applicable to a JVM that shows none of them, without running it.
 */
public enum Input {
    /** Who waits for which lock: any thread dump or heap dump. */
    WAITERS("a thread dump") {
        @Override
        boolean test(RuleContext c) {
            return !c.snapshots().isEmpty();
        }
    },
    /** Who holds and who waits for monitors or ownable synchronizers. */
    OWNERS_AND_WAITERS("a thread dump that shows lock owners and waiters") {
        @Override
        boolean test(RuleContext c) {
            return c.snapshots().stream().anyMatch(Snapshot::ownersShown);
        }
    },
    /**
     * The JVM's own report of a deadlock ("Found one Java-level deadlock:", J9's 1LKDEADLOCK,
     * JRockit's circular lock chains): it names each lock's holder even where the stacks do not,
     * and is all there is when only that section was kept.
     */
    REPORTED_DEADLOCK("a deadlock the JVM reported (\"Found one Java-level deadlock\")") {
        @Override
        boolean test(RuleContext c) {
            return c.snapshots().stream().anyMatch(s -> !s.reportedDeadlocks().isEmpty());
        }
    },
    /** Owners of monitors: the "- locked" lines of a thread dump (a heap dump does not show them). */
    MONITOR_OWNERS("a thread dump that shows monitor owners (\"- locked <0x...>\")") {
        @Override
        boolean test(RuleContext c) {
            return c.snapshots().stream().anyMatch(s -> s.monitorOwners().shown());
        }
    },
    /** Owners of java.util.concurrent locks: a thread dump taken with -l, or a heap dump. */
    SYNCHRONIZER_OWNERS("a thread dump taken with -l (Locked ownable synchronizers), or a heap dump") {
        @Override
        boolean test(RuleContext c) {
            return c.snapshots().stream().anyMatch(s -> s.synchronizerOwners().shown());
        }
    },
    /** A JDK Flight Recorder recording of the JVM. */
    RECORDING("a JFR recording (jcmd <pid> JFR.start, then JFR.dump)") {
        @Override
        boolean test(RuleContext c) {
            return !c.jvm().recordings().isEmpty();
        }
    },
    /** A thread dump that lists virtual threads, or shows one pinned to its carrier. */
    VIRTUAL_THREADS("a thread dump of JDK 21 or later that shows virtual threads: jcmd <pid> Thread.dump_to_file "
            + "-format=json lists them all, jstack those mounted") {
        @Override
        boolean test(RuleContext c) {
            // through the graphs the other rules build: a snapshot kept on disk is read back once
            return c.snapshots().stream().anyMatch(s -> c.graph(s).snapshot().threads().stream()
                    .anyMatch(t -> t.virtual() || t.carriesPinnedVirtualThread()));
        }
    },
    /** Several snapshots of the same JVM over time, each showing lock owners. */
    HISTORY("several dumps of the same JVM taken some seconds apart") {
        @Override
        boolean test(RuleContext c) {
            return ownersShownIn(c) >= 2;
        }

        @Override
        String seen(RuleContext c) {
            long n = ownersShownIn(c);
            return "this JVM has " + Words.count(n, "dump") + (n == 1 ? " that shows" : " that show") + " lock owners";
        }
    };

    private final String description;

    Input(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Whether this JVM's material shows this fact; asked once per JVM, whichever rule asks first. */
    public boolean presentIn(RuleContext context) {
        return context.shared(this, () -> test(context));
    }

    abstract boolean test(RuleContext context);

    /** What the JVM has short of this, when that says more than "nothing": empty by default. */
    String seen(RuleContext context) {
        return "";
    }

    /**
     * Why a rule that needs any of {@code needs} cannot tell anything about this JVM, or null when
     * one of them is there (or the rule needs nothing).
     */
    static String missing(List<Input> needs, RuleContext context) {
        if (needs.isEmpty() || needs.stream().anyMatch(i -> i.presentIn(context))) {
            return null;
        }
        String seen = needs.stream().map(i -> i.seen(context)).filter(s -> !s.isEmpty()).collect(Collectors.joining("; "));
        return "needs " + needs.stream().map(Input::description).collect(Collectors.joining(", or "))
                + (seen.isEmpty() ? "" : "; " + seen);
    }

    private static long ownersShownIn(RuleContext c) {
        return c.snapshots().stream().filter(Snapshot::ownersShown).count();
    }
}
