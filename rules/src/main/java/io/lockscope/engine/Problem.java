package io.lockscope.engine;

import java.util.Optional;

/**
 * What a rule found, as data: each rule has its own record of the facts (the lock, the owner, the
 * waiters, the dead holder, what it rests on, how sure), and its words are rendered from those
 * facts in one place, the record's {@link #title} and {@link #detail}. The engine makes a
 * {@link Finding} of it through {@link RuleContext#finding}, which takes the rule's id, default
 * severity and hint from its {@link RuleMeta}.
 */
public interface Problem {

    /** How sure a finding is. */
    enum Certainty {
        /** the inputs show it */
        CERTAIN,
        /** inferred from what the inputs show: worded as the inference it is */
        LIKELY
    }

    /** What a finding rests on, the strongest source first. */
    enum Basis {
        HEAP_DUMP, THREAD_DUMPS, JVM_DEADLOCK_REPORT, RECORDING
    }

    /** One line: what is wrong, with the lock and the threads named. */
    String title();

    /** What the finding rests on and how sure it is, for people; may be empty. */
    String detail();

    /** What to do about it, when the rule's {@link RuleMeta#hint} does not fit these facts; empty for the rule's. */
    default String hint() {
        return "";
    }

    /** Certain unless the record says otherwise. */
    default Certainty certainty() {
        return Certainty.CERTAIN;
    }

    /** Thread dumps unless the record says otherwise. */
    default Basis basis() {
        return Basis.THREAD_DUMPS;
    }

    /** A severity other than the rule's default, when the facts call for one (a likely finding is often a warning). */
    default Optional<Severity> severity() {
        return Optional.empty();
    }

    /** A problem a heap dump shows. */
    interface OnHeapDump extends Problem {
        @Override
        default Basis basis() {
            return Basis.HEAP_DUMP;
        }
    }

    /** A problem a recording shows. */
    interface OnRecording extends Problem {
        @Override
        default Basis basis() {
            return Basis.RECORDING;
        }
    }

    /** A problem that is a warning, whatever the rule's default severity. */
    interface Warning extends Problem {
        @Override
        default Optional<Severity> severity() {
            return Optional.of(Severity.WARNING);
        }
    }
}
