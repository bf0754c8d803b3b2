package io.lockscope.model;

import java.util.List;

/**
 * Everything known about one JVM: its snapshots in time order.
 *
 * @param id       stable within one report, e.g. {@code jvm-1}
 * @param label    for people, e.g. "pid 79422 (OpenJDK 26-ea+29)"
 * @param grouping   how the snapshots were found to belong together, and how sure that is
 * @param recordings JFR recordings of this JVM
 */
public record JvmHistory(String id, String label, String grouping, List<Snapshot> snapshots, List<Recording> recordings) {

    public JvmHistory {
        snapshots = List.copyOf(snapshots);
        recordings = List.copyOf(recordings);
    }

    public JvmHistory(String id, String label, String grouping, List<Snapshot> snapshots) {
        this(id, label, grouping, snapshots, List.of());
    }
}
