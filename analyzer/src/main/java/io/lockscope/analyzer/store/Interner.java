package io.lockscope.analyzer.store;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One copy of each string that threads read back from a {@link SnapshotSpill} share: frames,
 * files, lock classes. Bounded: past {@link #MAX} strings, new ones are not kept.
 */
final class Interner {

    static final int MAX = 200_000;
    private static final ConcurrentHashMap<String, String> STRINGS = new ConcurrentHashMap<>();

    private Interner() {
    }

    static String intern(String s) {
        String known = STRINGS.get(s);
        if (known != null) {
            return known;
        }
        if (STRINGS.size() >= MAX) {
            return s;
        }
        known = STRINGS.putIfAbsent(s, s);
        return known == null ? s : known;
    }
}
