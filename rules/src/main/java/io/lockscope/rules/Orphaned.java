package io.lockscope.rules;

import io.lockscope.engine.Problem;
import io.lockscope.engine.Severity;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lock threads wait for while no live thread owns it: held by threads that ended
 * ({@code deadHolders}, each with what shows it), likely by one that died of an exception
 * ({@code likely}, from a recording; {@code inferredOnly} when no dump lists owners at all),
 * with read holds no live reader accounts for (a heap dump), or with no owner shown at all.
 * {@code since} is what changed since the dump before the first that shows it: when one dump
 * alone shows it, and no thread that could have held it has ended since the one before, a
 * hand-off caught in flight is the likelier story; so it is when {@code passed}, a thread a
 * moment old, is already past the waiters' lock call. The finding of {@link OrphanedLock}.
 */
record Orphaned(LockRef lock, boolean readWrite, Map<String, String> deadHolders, Optional<OrphanedLock.Death> likely,
        boolean inferredOnly, boolean fromHeap, long unaccountedReads, List<String> waiters, int dumps, int listedDumps,
        boolean virtualOwnersPossible, Optional<HandOff.Since> since, Optional<HandOff.Passed> passed) implements Problem {

    /**
     * Shown ownerless by one dump only, by nothing else, and either no thread could have died
     * holding it since the dump before, or a thread a moment old is already past its lock call.
     */
    public boolean handOffLikely() {
        return onlyFromThreadDumps() && (noOwnerCouldHaveDied() || passed.isPresent());
    }

    /** What every hand-off detail ends with: why a hand-off looks like this, and how to tell. */
    private static final String HAND_OFF_CLOSING = " A lock has no owner for an instant at every hand-off (its owner has "
            + "unlocked, and the waiter it woke has not run yet), and a dump taken then shows this. A dump taken a little "
            + "later tells them apart: an orphaned lock keeps its waiters.";

    private boolean noOwnerCouldHaveDied() {
        return since.filter(HandOff.Since::noOwnerCouldHaveDied).isPresent();
    }

    /** The young thread past its lock call that makes a hand-off likely, when nothing else does. */
    public Optional<HandOff.Passed> passedBy() {
        return handOffLikely() && !noOwnerCouldHaveDied() ? passed : Optional.empty();
    }

    /** The thread that likely died holding it: the only one that could have, alive in the dump before and gone since. */
    public Optional<JvmThread> endedSince() {
        return onlyFromThreadDumps() && !handOffLikely() ? since.flatMap(HandOff.Since::onlyCandidate) : Optional.empty();
    }

    private boolean onlyFromThreadDumps() {
        return dumps == 1 && deadHolders.isEmpty() && likely.isEmpty() && !fromHeap;
    }

    @Override
    public String title() {
        StringBuilder title = new StringBuilder(Prose.lock(lock));
        if (passedBy().isPresent()) {
            HandOff.Passed p = passedBy().get();
            return title.append(" has no owner in one dump only, and ").append(p.thread().label()).append(", started ")
                    .append(p.age()).append(" before it, is already past the call that locks it: likely a hand-off caught in "
                            + "flight; ").append(Prose.waiting(waiters, " for it")).toString();
        }
        if (handOffLikely()) {
            return title.append(" has no owner in one dump only, and no thread that could own it has ended: likely a "
                    + "hand-off caught in flight; ").append(Prose.waiting(waiters, " for it")).toString();
        }
        if (!deadHolders.isEmpty()) {
            title.append(" held by dead thread").append(deadHolders.size() > 1 ? "s " : " ")
                    .append(String.join(", ", deadHolders.keySet())).append("; ").append(Prose.waiting(waiters));
        } else if (likely.isPresent()) {
            OrphanedLock.Death d = likely.get();
            title.append(inferredOnly ? " has no owner any dump shows; likely held by dead thread " : " likely held by dead thread ")
                    .append(d.thread()).append(", which ended after ").append(Prose.simple(d.exception().exceptionClass()))
                    .append(" at ").append(OwnershipMismatch.applicationFrame(d.exception().stack())).append("; ")
                    .append(Prose.waiting(waiters));
        } else if (endedSince().isPresent()) {
            title.append(" has no live owner; likely held by ").append(endedSince().get().label())
                    .append(", alive in the dump before and gone since; ").append(Prose.waiting(waiters, " for it"));
        } else if (unaccounted()) {
            title.append(" has ").append(unaccountedReads).append(unaccountedReads == 1 ? " read hold" : " read holds")
                    .append(" no live thread accounts for; ").append(Prose.waiting(waiters));
        } else {
            title.append(readWrite ? " has no visible owner; " : " has no live owner; ").append(Prose.waiting(waiters, " for it"));
        }
        if (dumps > 1) {
            title.append(" (in ").append(dumps).append(" of ").append(listedDumps).append(" dumps)");
        }
        return title.toString();
    }

    private boolean unaccounted() {
        return readWrite && fromHeap && unaccountedReads > 0;
    }

    @Override
    public String detail() {
        List<String> why = new ArrayList<>();
        if (!deadHolders.isEmpty()) {
            why.addAll(deadHolders.values());
        } else if (likely.isPresent()) {
            OrphanedLock.Death d = likely.get();
            why.add("Inferred from the recording " + d.recording() + ": \"" + d.thread() + "\" threw "
                    + d.exception().exceptionClass() + (d.exception().message().isEmpty() ? "" : " (" + d.exception().message() + ")")
                    + " at " + d.exception().time() + " and ended at " + d.ended() + "; its stack is in the same code ("
                    + String.join(", ", d.classes()) + ") as the waiters'. A recording cannot show who holds a "
                    + "java.util.concurrent lock: this is a likely owner, not a certain one. A heap dump would be certain.");
        } else if (unaccounted()) {
            why.add("The lock's state counts " + unaccountedReads + " read holds that no live reader in the heap has: "
                    + "a reader that ended while reading leaves its count behind, and its thread-locals, which named it, "
                    + "are cleared when it exits.");
        } else {
            if (readWrite) {
                why.add("A ReentrantReadWriteLock's readers never appear in a thread dump, so the holder may be a live "
                        + "reader; or a writer that ended without unlocking.");
            } else {
                why.add("No thread in the dump lists it under \"Locked ownable synchronizers\": the thread that locked it "
                        + "ended, or went on, without unlocking.");
            }
            if (virtualOwnersPossible) {
                why.add("On JDK 21 and later the owner may also be an unmounted virtual thread, which jstack does not list "
                        + "(jcmd <pid> Thread.dump_to_file -format=json lists them).");
            }
        }
        if (passedBy().isPresent()) {
            HandOff.Passed p = passedBy().get();
            return p.thread().label() + " started " + p.age() + " before this dump, and it is at " + p.past().text()
                    + ", past the line where its waiters call to lock it (" + p.lockCall().text() + "): it most likely "
                    + "took the lock and let it go within that time, so the lock had a live owner an instant ago. For it to "
                    + "be orphaned, another thread would have had to take it since and die at once." + HAND_OFF_CLOSING;
        }
        if (handOffLikely()) {
            return (since.get().fromStart()
                    ? "No thread of this JVM has ended: its thread ids run from " + since.get().earlier() + " without a gap, "
                            + "so every thread it ever started is alive, and none died that could have held it (only a thread "
                            + "started after all of these, and gone, could have)."
                    : "Every thread that ran Java code in the dump before it, " + since.get().earlier() + ", is alive in this "
                            + "one, and the thread ids show no thread started and ended in between: no thread died that could "
                            + "have held it.")
                    + HAND_OFF_CLOSING;
        }
        if (onlyFromThreadDumps()) {
            why.add("Seen in one dump only: a lock released an instant before the dump looks the same; a second dump "
                    + "some seconds later tells them apart.");
            if (endedSince().isPresent()) {
                why.add("Of the threads that ran Java code in the dump before it, " + since.get().earlier() + ", only "
                        + endedSince().get().label() + " has ended, and the thread ids show no other thread started and "
                        + "ended in between: if a thread died holding it, it was this one. A heap dump would be certain "
                        + "(the lock's exclusiveOwnerThread).");
            } else {
                since.filter(x -> !x.ended().isEmpty()).ifPresent(x -> why.add("Since the dump before it, " + x.earlier() + ", "
                        + String.join(", ", Prose.limit(x.endedLabels(), Prose.NAMES_IN_TITLE))
                        + (x.ended().size() == 1 ? " has ended" : " have ended")
                        + ": a thread that died holding it would be one of them."));
            }
        }
        return String.join(" ", why);
    }

    @Override
    public Certainty certainty() {
        // one dump that shows no owner, and nothing else: a lock caught between two owners looks the same
        return onlyFromThreadDumps() || deadHolders.isEmpty() && likely.isPresent() ? Certainty.LIKELY : Certainty.CERTAIN;
    }

    @Override
    public Basis basis() {
        return fromHeap ? Basis.HEAP_DUMP : likely.isPresent() && deadHolders.isEmpty() ? Basis.RECORDING : Basis.THREAD_DUMPS;
    }

    @Override
    public Optional<Severity> severity() {
        if (handOffLikely()) {
            return Optional.of(Severity.INFO);
        }
        if (deadHolders.isEmpty() && likely.isPresent()) {
            return Optional.of(inferredOnly ? Severity.WARNING : Severity.ERROR);
        }
        if (deadHolders.isEmpty() && !unaccounted() && readWrite) {
            return Optional.of(Severity.WARNING);
        }
        return Optional.empty();
    }
}
