package io.lockscope.model;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A thread as one snapshot shows it.
 *
 * @param index              position in its snapshot; the only identity that is always unique
 *                           (two threads may share a name)
 * @param javaId             {@code #16}, {@code Thread.getId()}
 * @param nativeId           {@code nid}, the OS thread id
 * @param address            {@code tid=0x...}, the JavaThread address; 0 is treated as unknown
 * @param stateDetail        the text after the state, e.g. "(on object monitor)"
 * @param ownedSynchronizers "Locked ownable synchronizers", empty when the dump does not list them
 * @param alive              false for a thread a heap dump or recording shows terminated; a thread
 *                           dump lists only live threads
 * @param cpuMicros          the CPU time the thread has used, where the dump prints it (HotSpot's
 *                           {@code cpu=12.34ms}, JDK 11 and later): a thread parked all along uses none
 * @param elapsedMillis      how long before the dump the thread started, where the dump prints it
 *                           (HotSpot's {@code elapsed=0.01s}, JDK 11 and later)
 */
public record JvmThread(
        int index,
        String name,
        OptionalLong javaId,
        Optional<String> nativeId,
        Optional<String> address,
        ThreadState state,
        String stateDetail,
        boolean daemon,
        boolean virtual,
        Optional<String> carrier,
        List<Frame> frames,
        Optional<List<LockRef>> ownedSynchronizers,
        SourceRef at,
        boolean alive,
        OptionalLong cpuMicros,
        OptionalLong elapsedMillis) {

    public JvmThread {
        frames = List.copyOf(frames);
        ownedSynchronizers = ownedSynchronizers.map(List::copyOf);
    }

    /** A thread from a dump that does not print CPU times or ages. */
    public JvmThread(int index, String name, OptionalLong javaId, Optional<String> nativeId, Optional<String> address,
            ThreadState state, String stateDetail, boolean daemon, boolean virtual, Optional<String> carrier, List<Frame> frames,
            Optional<List<LockRef>> ownedSynchronizers, SourceRef at, boolean alive) {
        this(index, name, javaId, nativeId, address, state, stateDetail, daemon, virtual, carrier, frames, ownedSynchronizers, at,
                alive, OptionalLong.empty(), OptionalLong.empty());
    }

    /**
     * The state detail of a thread that HotSpot shows parked ("WAITING (parking)") while its
     * header says its OS thread is "runnable": it was unparked, or its park returned at once,
     * and it is on its way to try the lock again. It waits for nothing at this instant.
     */
    public static final String UNPARKED = "(parking, but unparked: its OS thread is runnable)";

    /** How a JDK parks a pinned virtual thread: on its carrier, which it cannot leave. */
    public static final String PARK_ON_CARRIER = "java.lang.VirtualThread.parkOnCarrierThread";

    /** A platform thread whose own stack shows a pinned virtual thread parked on it (jstack prints it so). */
    public boolean carriesPinnedVirtualThread() {
        return !virtual && frames.stream().anyMatch(f -> f.method().equals(PARK_ON_CARRIER));
    }

    /** Whether this thread was caught leaving a park: see {@link #UNPARKED}. */
    public boolean unparked() {
        return stateDetail.equals(UNPARKED);
    }

    /**
     * A key that follows the same thread across the snapshots of one JVM, text or JSON: the
     * Java thread id, which a JVM never reuses; else the JavaThread address (JDK 1.4 and 5 print
     * no id), which is reused only after the thread has died; else the name.
     */
    public String identityKey() {
        if (javaId.isPresent()) {
            return "#" + javaId.getAsLong();
        }
        if (address.isPresent()) {
            return "tid:" + address.get();
        }
        return "name:" + name;
    }

    /** The same thread with other frames: what a reader learns about its stack after reading it. */
    public JvmThread withFrames(List<Frame> newFrames) {
        return new JvmThread(index, name, javaId, nativeId, address, state, stateDetail, daemon, virtual, carrier, newFrames,
                ownedSynchronizers, at, alive, cpuMicros, elapsedMillis);
    }

    public JvmThread withOwnedSynchronizers(Optional<List<LockRef>> owned) {
        return new JvmThread(index, name, javaId, nativeId, address, state, stateDetail, daemon, virtual, carrier, frames,
                owned, at, alive, cpuMicros, elapsedMillis);
    }

    /** The thread's label for people: its name, with its id when it has one. */
    public String label() {
        return javaId.isPresent() ? name + " #" + javaId.getAsLong() : name;
    }

    public Optional<Frame> topFrame() {
        return frames.isEmpty() ? Optional.empty() : Optional.of(frames.get(0));
    }
}
