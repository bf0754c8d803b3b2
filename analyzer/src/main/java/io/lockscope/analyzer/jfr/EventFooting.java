package io.lockscope.analyzer.jfr;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;

/**
 * Where a chunk's events can be read again after damage (a block a crash left as zeros, flipped
 * bytes). A chunk's events lie end to end from its header to its end, each opening with its size
 * and its type, so the next footing is the first place from which events, each of a size that fits
 * and a type the metadata declares, follow one another to a place an event is known to start at:
 * a checkpoint the pools' chain reached, the metadata, the chunk's end. A walk that fails marks
 * every place it passed, and a later walk that comes to one stops there, so each place is walked
 * from once however the damage is made.
 */
final class EventFooting {

    static final long METADATA_TYPE = 0;
    static final long CHECKPOINT_TYPE = 1;

    private final ChunkInput in;
    private final Map<Long, ?> types;
    private final int[] known;
    /** Places from which events do not follow one another to a known start; made on the first damage. */
    private BitSet dead;
    private int end;
    private long type;

    /** The checkpoints and the metadata at {@code metadataAt} are where events are known to start. */
    EventFooting(ChunkInput in, Map<Long, ?> types, int[] checkpoints, int metadataAt) {
        this.in = in;
        this.types = types;
        this.known = Arrays.copyOf(checkpoints, checkpoints.length + 1);
        known[checkpoints.length] = metadataAt;
        Arrays.sort(known);
    }

    /** The next footing at or after {@code from}; -1 if there is none before the chunk's end. */
    int after(int from) {
        for (int p = from; p < in.size; p++) {
            if (eventsFrom(p)) {
                return p;
            }
        }
        return -1;
    }

    private boolean eventsFrom(int p) {
        if (dead == null) {
            dead = new BitSet();
        }
        int at = p;
        int steps = 0;
        while (at != in.size && (at == p || Arrays.binarySearch(known, at) < 0)) {
            if (dead.get(at) || !plausible(at)) {
                // what the walk passed leads here: none of it is a footing
                for (int q = p, n = 0; n < steps; n++) {
                    dead.set(q);
                    plausible(q);
                    q = end;
                }
                dead.set(at);
                return false;
            }
            at = end;
            steps++;
        }
        return true;
    }

    /**
     * Whether an event of a size that fits in the chunk and a type the metadata declares (or a
     * checkpoint, or the metadata) starts at {@code at}; if so, {@link #end()} and {@link #type()}
     * tell of it.
     */
    boolean plausible(int at) {
        try {
            in.pos = at;
            long size = in.varlong();
            if (size < 2 || size > in.size - at || in.pos >= in.size) {
                return false;
            }
            long t = in.varlong();
            if (in.pos > at + size || (t != METADATA_TYPE && t != CHECKPOINT_TYPE && !types.containsKey(t))) {
                return false;
            }
            end = at + (int) size;
            type = t;
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Why no event starts at {@code at}, for a message. */
    String whyNot(int at) {
        try {
            in.pos = at;
            long size = in.varlong();
            if (size < 2 || size > in.size - at) {
                return "event of " + size + " bytes";
            }
            return "event of undeclared type " + in.varlong();
        } catch (RuntimeException e) {
            return "event that breaks off at the chunk's end";
        }
    }

    /** Where the event {@link #plausible} last accepted ends. */
    int end() {
        return end;
    }

    /** The type of the event {@link #plausible} last accepted. */
    long type() {
        return type;
    }
}
