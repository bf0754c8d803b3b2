package io.lockscope.analyzer.jfr;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What was passed over in a recording's chunks: the byte ranges of the file, and why the first
 * was. The pools and the events both walk past damage; ranges that overlap are one place.
 */
final class ChunkDamage {

    /** Start to end of each range passed over, none overlapping. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private long first = -1;
    private String why;

    void skipped(long at, String what, long length) {
        long start = at;
        long end = at + length;
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        for (Map.Entry<Long, Long> e = ranges.ceilingEntry(start); e != null && e.getKey() <= end; e = ranges.ceilingEntry(start)) {
            end = Math.max(end, e.getValue());
            ranges.remove(e.getKey());
        }
        ranges.put(start, end);
        if (first < 0 || at < first) {
            first = at;
            why = what;
        }
    }

    /** What the input's message says; empty if nothing was passed over. */
    Optional<String> note() {
        if (ranges.isEmpty()) {
            return Optional.empty();
        }
        long bytes = ranges.entrySet().stream().mapToLong(e -> e.getValue() - e.getKey()).sum();
        return Optional.of(String.format("damaged at byte %,d: %s; read on after it%s, skipping %,d bytes", first, why,
                ranges.size() > 1 ? " and " + (ranges.size() - 1) + " more" : "", bytes));
    }
}
