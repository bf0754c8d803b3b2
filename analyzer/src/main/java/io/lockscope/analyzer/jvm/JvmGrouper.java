package io.lockscope.analyzer.jvm;

import io.lockscope.model.JvmHistory;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Recording;
import io.lockscope.model.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Puts snapshots together by the JVM that wrote them. Identity comes from the process id, the
 * JVM version and the JavaThread addresses ({@code tid=0x...}), which are unique within a live
 * process and reused across processes only by chance; never from thread names alone. When the
 * evidence is thin the snapshots stay apart, and the grouping says how sure it is.
 */
public final class JvmGrouper {

    /** Share of JavaThread addresses two dumps must have in common to be called one JVM. */
    static final double SAME_JVM_ADDRESS_SHARE = 0.5;

    private JvmGrouper() {
    }

    /** What a snapshot says of its JVM's identity, worked out once: its threads and their normalized addresses. */
    private record Identity(List<JvmThread> threads, List<String> addressOf, Set<String> addresses) {
        static Identity of(Snapshot s) {
            List<JvmThread> threads = s.threads();
            List<String> addressOf = new ArrayList<>(threads.size());
            Set<String> addresses = new HashSet<>();
            for (JvmThread t : threads) {
                String a = t.address().map(JvmGrouper::normalizeAddress).orElse(null);
                addressOf.add(a);
                if (a != null) {
                    addresses.add(a);
                }
            }
            return new Identity(threads, addressOf, addresses);
        }
    }

    private static final class Group {
        final List<Snapshot> snapshots = new ArrayList<>();
        final Set<String> addresses = new HashSet<>();
        final Map<String, Long> idByAddress = new HashMap<>();
        final Map<Long, String> nameById = new HashMap<>();
        OptionalLong pid = OptionalLong.empty();
        Optional<String> version = Optional.empty();
        final Set<String> reasons = new LinkedHashSet<>();
        String lastFile;

        void add(Snapshot s, String reason, Identity id) {
            snapshots.add(s);
            if (reason != null) {
                reasons.add(reason);
            }
            if (s.jvm().pid().isPresent()) {
                pid = s.jvm().pid();
            }
            // keep the fullest name of the version: "OpenJDK 64-Bit Server VM 25.0.3+9-LTS" over "JDK 25.0.3+9-LTS"
            if (s.jvm().vmVersion().isPresent() && (version.isEmpty() || s.jvm().vmVersion().get().length() > version.get().length())) {
                version = s.jvm().vmVersion();
            }
            for (int i = 0; i < id.threads().size(); i++) {
                JvmThread t = id.threads().get(i);
                String a = id.addressOf().get(i);
                if (a != null) {
                    addresses.add(a);
                    if (t.javaId().isPresent()) {
                        idByAddress.put(a, t.javaId().getAsLong());
                    }
                }
                if (t.javaId().isPresent() && !t.virtual()) {
                    nameById.put(t.javaId().getAsLong(), t.name());
                }
            }
            lastFile = fileOf(s);
        }
    }

    public static List<JvmHistory> group(List<Snapshot> snapshots) {
        return group(snapshots, List.of());
    }

    /**
     * Snapshots grouped as above; then each recording joins the JVM with its pid and version (the
     * thread dumps it carries are already in it), or stands as a JVM of its own.
     */
    public static List<JvmHistory> group(List<Snapshot> snapshots, List<Recording> recordings) {
        // Dumps that carry the most identity go first (text: pid and addresses; then JSON: pid and
        // ids; then heap dumps: addresses and ids), so each later one meets the groups it can join.
        List<Snapshot> byIdentity = new ArrayList<>(snapshots);
        byIdentity.sort(Comparator.comparingInt(JvmGrouper::identityRank));
        List<Group> groups = new ArrayList<>();
        // the groups each JavaThread address was seen in: a dump with addresses meets a group with
        // addresses only if they share one (see sameJvm), so in a log of many JVMs the others are
        // passed over without a look at their threads
        Map<String, Set<Group>> withAddress = new HashMap<>();
        for (Snapshot s : byIdentity) {
            Identity id = Identity.of(s);
            Set<Group> sharing = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (String a : id.addresses()) {
                sharing.addAll(withAddress.getOrDefault(a, Set.of()));
            }
            Group best = null;
            String why = null;
            List<Group> alsoJoined = new ArrayList<>();
            for (Group g : groups) {
                if (id.addresses().size() >= 3 && g.addresses.size() >= 3 && !sharing.contains(g)) {
                    continue;
                }
                String reason = sameJvm(g, s, id);
                if (reason == null) {
                    continue;
                }
                if (best == null) {
                    best = g;
                    why = reason;
                } else if (compatible(best, g)) {
                    // evidence joins this dump to two groups (a heap dump shares addresses with one, a
                    // JSON dump its pid with the other): they were one JVM all along
                    alsoJoined.add(g);
                }
            }
            if (best == null) {
                best = new Group();
                groups.add(best);
            }
            Set<String> newAddresses = new HashSet<>(id.addresses());
            for (Group other : alsoJoined) {
                for (Snapshot o : other.snapshots) {
                    best.add(o, null, Identity.of(o));
                }
                best.reasons.addAll(other.reasons);
                newAddresses.addAll(other.addresses);
                groups.remove(other);
            }
            best.add(s, why, id);
            Group joined = best;
            for (String a : newAddresses) {
                withAddress.computeIfAbsent(a, k -> java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>())).add(joined);
            }
        }
        // report the JVMs in the order their first dump was given
        Map<Snapshot, Integer> position = new java.util.IdentityHashMap<>();
        for (int i = 0; i < snapshots.size(); i++) {
            position.put(snapshots.get(i), i);
        }
        groups.sort(Comparator.comparingInt(g -> g.snapshots.stream().mapToInt(position::get).min().orElse(0)));
        Map<Group, List<Recording>> recordingsOf = new java.util.IdentityHashMap<>();
        List<Recording> alone = new ArrayList<>();
        for (Recording r : recordings) {
            Group home = null;
            for (Group g : groups) {
                boolean samePid = r.jvm().pid().isPresent() && g.pid.isPresent() && r.jvm().pid().getAsLong() == g.pid.getAsLong();
                boolean sameVersion = r.jvm().vmVersion().isEmpty() || g.version.isEmpty()
                        || versionKey(r.jvm().vmVersion().get()).contains(versionKey(g.version.get()))
                        || versionKey(g.version.get()).contains(versionKey(r.jvm().vmVersion().get()));
                boolean carried = g.snapshots.stream().anyMatch(s -> s.at().file().equals(r.at().file()));
                if (carried || (samePid && sameVersion)) {
                    home = g;
                    break;
                }
            }
            if (home == null) {
                alone.add(r);
            } else {
                recordingsOf.computeIfAbsent(home, k -> new ArrayList<>()).add(r);
                home.reasons.add("recording " + r.label() + (r.jvm().pid().isPresent() ? " of pid " + r.jvm().pid().getAsLong() : ""));
            }
        }
        List<JvmHistory> result = new ArrayList<>();
        int n = 0;
        for (Group g : groups) {
            n++;
            List<Snapshot> ordered = new ArrayList<>(g.snapshots);
            if (ordered.stream().allMatch(s -> s.time().isPresent())) {
                ordered.sort(Comparator.comparing(s -> s.time().get()));
            }
            result.add(new JvmHistory("jvm-" + n, label(g), grouping(g), ordered, recordingsOf.getOrDefault(g, List.of())));
        }
        for (Recording r : alone) {
            n++;
            String label = (r.jvm().pid().isPresent() ? "pid " + r.jvm().pid().getAsLong() : r.label())
                    + r.jvm().vmVersion().map(v -> " (" + v + ")").orElse("");
            result.add(new JvmHistory("jvm-" + n, label, "one recording", List.of(), List.of(r)));
        }
        return result;
    }

    /** Why s belongs to g, or null if it does not (or if that cannot be told). */
    private static String sameJvm(Group g, Snapshot s, Identity id) {
        OptionalLong pid = s.jvm().pid();
        if (pid.isPresent() && g.pid.isPresent() && pid.getAsLong() != g.pid.getAsLong()) {
            return null;
        }
        if (s.jvm().vmVersion().isPresent() && g.version.isPresent()
                && !versionKey(s.jvm().vmVersion().get()).equals(versionKey(g.version.get()))) {
            return null;
        }
        Set<String> addresses = id.addresses();
        int contradictions = 0;
        for (int i = 0; i < id.threads().size(); i++) {
            String a = id.addressOf().get(i);
            if (a == null) {
                continue;
            }
            JvmThread t = id.threads().get(i);
            Long known = g.idByAddress.get(a);
            if (known != null && t.javaId().isPresent() && known != t.javaId().getAsLong()) {
                contradictions++;
            }
        }
        int sharedIds = 0;
        int sameNames = 0;
        for (JvmThread t : id.threads()) {
            if (t.javaId().isPresent() && !t.virtual()) {
                String name = g.nameById.get(t.javaId().getAsLong());
                if (name != null) {
                    sharedIds++;
                    if (name.equals(t.name())) {
                        sameNames++;
                    }
                }
            }
        }
        if (sharedIds >= 4 && sameNames * 2 < sharedIds) {
            return null; // the same ids name different threads: another process
        }
        boolean bothHaveAddresses = addresses.size() >= 3 && g.addresses.size() >= 3;
        if (bothHaveAddresses) {
            int shared = 0;
            for (String a : addresses) {
                if (g.addresses.contains(a)) {
                    shared++;
                }
            }
            if (contradictions > shared / 2) {
                return null;
            }
            double share = shared / (double) Math.min(addresses.size(), g.addresses.size());
            if (share >= SAME_JVM_ADDRESS_SHARE) {
                return shared + " JavaThread addresses in common" + (pid.isPresent() ? ", same pid " + pid.getAsLong() : "");
            }
            return null;
        }
        // No addresses on one side (a JSON dump, a ThreadMXBean rendering): pid and thread ids must agree.
        if (pid.isPresent() && g.pid.isPresent() && sharedIds >= 2 && sameNames == sharedIds) {
            return "same pid " + pid.getAsLong() + " and the same thread ids and names";
        }
        if (fileOf(s).equals(g.lastFile) && (addresses.isEmpty() || g.addresses.isEmpty())) {
            return "consecutive dumps in one file with no addresses to compare (a guess)";
        }
        return null;
    }

    /** Whether two groups can be one JVM: no two pids, no two versions. */
    private static boolean compatible(Group a, Group b) {
        if (a.pid.isPresent() && b.pid.isPresent() && a.pid.getAsLong() != b.pid.getAsLong()) {
            return false;
        }
        return a.version.isEmpty() || b.version.isEmpty() || versionKey(a.version.get()).equals(versionKey(b.version.get()));
    }

    private static int identityRank(Snapshot s) {
        return switch (s.format()) {
            case "jstack", "jhsdb" -> 0;
            case "jcmd-json", "jcmd-text" -> 1;
            case "hprof" -> 2;
            default -> 3;
        };
    }

    private static String label(Group g) {
        StringBuilder sb = new StringBuilder();
        if (g.pid.isPresent()) {
            sb.append("pid ").append(g.pid.getAsLong());
        } else {
            sb.append(fileOf(g.snapshots.get(0)));
        }
        g.version.ifPresent(v -> sb.append(" (").append(v).append(')'));
        return sb.toString();
    }

    private static String grouping(Group g) {
        int n = g.snapshots.size();
        if (n == 1) {
            return "one dump";
        }
        return n + " dumps: " + String.join("; ", g.reasons);
    }

    private static String fileOf(Snapshot s) {
        return s.at().file();
    }

    /** "0x00007f0a6c40cb60", "114ec2000" and "0x114ec2000" name the same address. */
    static String normalizeAddress(String a) {
        String s = a.toLowerCase();
        if (s.startsWith("0x")) {
            s = s.substring(2);
        }
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    /** The version proper: the last word of "OpenJDK 64-Bit Server VM 25.0.3+9-LTS" or "JDK 25.0.3+9-LTS". */
    static String versionKey(String v) {
        String t = v.strip();
        int space = t.lastIndexOf(' ');
        return space < 0 ? t : t.substring(space + 1);
    }
}
