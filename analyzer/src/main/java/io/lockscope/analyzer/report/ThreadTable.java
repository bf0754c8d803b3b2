package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.engine.Words;
import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmHistory;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The threads of a snapshot as a table, identical stacks grouped; and each lock's owners over time. */
final class ThreadTable {

    static final int STACK_LINES = 24;
    static final int HISTORY_LOCKS = 30;

    private ThreadTable() {
    }

    static ObjectNode of(LockGraph g) {
        ObjectNode table = ReportModel.MAPPER.createObjectNode();
        Map<String, List<JvmThread>> byStack = new LinkedHashMap<>();
        for (JvmThread t : g.snapshot().threads()) {
            byStack.computeIfAbsent(t.state() + "\n" + t.frames().stream().map(Frame::text).collect(Collectors.joining("\n")),
                    k -> new ArrayList<>()).add(t);
        }
        ArrayNode groups = table.putArray("groups");
        List<List<JvmThread>> sorted = new ArrayList<>(byStack.values());
        sorted.sort((a, b) -> b.size() - a.size());
        int groupId = 0;
        Map<Integer, Integer> groupOf = new LinkedHashMap<>();
        for (List<JvmThread> members : sorted) {
            groupId++;
            for (JvmThread t : members) {
                groupOf.put(t.index(), groupId);
            }
            if (members.size() < 2) {
                continue;
            }
            ObjectNode grp = groups.addObject();
            grp.put("id", groupId);
            grp.put("size", members.size());
            grp.put("state", members.get(0).state().name());
            ArrayNode names = grp.putArray("threads");
            members.stream().limit(20).forEach(t -> names.add(t.name()));
            grp.put("moreThreads", Math.max(0, members.size() - 20));
            ArrayNode stack = grp.putArray("stack");
            stackLines(members.get(0)).forEach(stack::add);
        }
        ArrayNode rows = table.putArray("rows");
        for (JvmThread t : g.snapshot().threads()) {
            ObjectNode r = rows.addObject();
            r.put("name", t.name());
            t.javaId().ifPresent(id -> r.put("id", id));
            r.put("state", t.state().name());
            r.put("detail", t.stateDetail());
            r.put("daemon", t.daemon());
            r.put("virtual", t.virtual());
            t.carrier().ifPresent(c -> r.put("carrier", c));
            r.put("top", t.topFrame().map(Frame::text).orElse(""));
            r.put("holds", g.holdsOf(t.index()).stream().map(Hold::lock).map(LockRef::simpleClassName).collect(Collectors.joining(", ")));
            r.put("waits", g.waitsOf(t.index()).stream().map(Wait::lock).map(LockRef::simpleClassName).collect(Collectors.joining(", ")));
            r.put("group", groupOf.get(t.index()));
            r.put("groupSize", byStack.get(t.state() + "\n" + t.frames().stream().map(Frame::text).collect(Collectors.joining("\n"))).size());
            ArrayNode stack = r.putArray("stack");
            stackLines(t).forEach(stack::add);
        }
        table.put("states", String.join(",", g.snapshot().threads().stream().map(t -> t.state().name()).distinct().sorted().toList()));
        return table;
    }

    private static List<String> stackLines(JvmThread t) {
        List<String> out = new ArrayList<>();
        for (Frame f : t.frames()) {
            if (out.size() >= STACK_LINES) {
                out.add("...");
                break;
            }
            out.add("at " + f.text());
            f.locks().forEach(a -> out.add("- " + a.kind().text() + " " + a.lock()));
        }
        t.ownedSynchronizers().ifPresent(owned -> owned.forEach(l -> out.add("owns " + l)));
        return out;
    }

    /** For each lock that someone waited for, in every dump of the JVM: who held it and how many waited. */
    /** Columns of the lock history at most; past this many (after merging runs of like dumps), the first and last ones. */
    static final int HISTORY_COLUMNS = 60;

    /** One column of the lock history: a dump, or a run of consecutive dumps that showed the same locks alike. */
    private record Column(String first, String last, int dumps, Map<String, Cell> cells) {
        /**
         * "a.txt#3", or for a run "a.txt#3 … #57 (55 dumps)" (the last one's file left out when it is the same);
         * the column that stands for the dumps left out has no last dump and says how many.
         */
        String label() {
            if (last == null) {
                return "… " + Words.count(dumps, "dump") + " not shown …";
            }
            if (dumps == 1) {
                return first;
            }
            int firstHash = first.lastIndexOf('#');
            int lastHash = last.lastIndexOf('#');
            boolean sameFile = firstHash >= 0 && lastHash >= 0 && first.substring(0, firstHash).equals(last.substring(0, lastHash));
            return first + " … " + (sameFile ? last.substring(lastHash) : last) + " (" + dumps + " dumps)";
        }
    }

    private record Cell(int waiters, String owner) {
    }

    /**
     * Each lock that threads waited for, dump by dump: its owner and how many waited. Consecutive
     * dumps in which every lock had the same owner and waiters are one column (a range); a JVM with
     * more columns than {@link #HISTORY_COLUMNS} shows its first and last ones around a column that
     * says how many dumps it leaves out. Its size does not grow with the number of dumps.
     */
    static ObjectNode lockHistory(JvmHistory jvm) {
        List<Column> columns = new java.util.ArrayList<>();
        Map<String, String> lockNames = new LinkedHashMap<>();
        // a lock whose address moved (a heap dump's compressed addresses, a collector that moves objects) is
        // the same row when its class, owner and waiters are the same as a row's in the dump before
        Map<String, String> rowBySignature = new HashMap<>();
        Map<String, String> rowOf = new HashMap<>();
        Map<String, Cell> previous = Map.of();
        for (Snapshot s : jvm.snapshots()) {
            LockGraph g = LockGraph.of(s);
            Map<String, List<Wait>> byLock = new LinkedHashMap<>();
            for (Wait w : g.waits()) {
                byLock.computeIfAbsent(w.lock().className() + "@" + w.lock().id(), k -> new java.util.ArrayList<>()).add(w);
            }
            Map<String, Cell> cells = new LinkedHashMap<>();
            for (Map.Entry<String, List<Wait>> e : byLock.entrySet()) {
                LockRef lock = e.getValue().get(0).lock();
                List<Hold> holders = g.holdersOf(lock.id());
                String owner = holders.isEmpty() ? "" : g.thread(holders.get(0).thread()).name();
                String signature = lock.className() + "|" + owner + "|"
                        + e.getValue().stream().map(w -> g.thread(w.thread()).name()).sorted().toList();
                String key = rowOf.get(e.getKey());
                if (key == null) {
                    String moved = rowBySignature.get(signature);
                    if (moved != null && previous.containsKey(moved) && !cells.containsKey(moved) && !byLock.containsKey(moved)) {
                        key = moved;
                        lockNames.put(moved, lockNames.get(moved) + " (also " + lock.toString().replaceFirst(" \\(a .*\\)$", "") + ")");
                    } else if (lockNames.size() < HISTORY_LOCKS) {
                        key = e.getKey();
                        lockNames.put(key, lock.toString());
                    } else {
                        continue;
                    }
                    rowOf.put(e.getKey(), key);
                }
                rowBySignature.put(signature, key);
                cells.put(key, new Cell(e.getValue().size(), owner));
            }
            previous = cells;
            Column last = columns.isEmpty() ? null : columns.get(columns.size() - 1);
            if (last != null && last.cells().equals(cells)) {
                columns.set(columns.size() - 1, new Column(last.first(), s.label(), last.dumps() + 1, last.cells()));
            } else {
                columns.add(new Column(s.label(), s.label(), 1, cells));
            }
        }
        if (columns.size() > HISTORY_COLUMNS) {
            int head = HISTORY_COLUMNS / 2;
            int tail = HISTORY_COLUMNS - head - 1;
            List<Column> left = columns.subList(head, columns.size() - tail);
            int dumps = left.stream().mapToInt(Column::dumps).sum();
            List<Column> kept = new java.util.ArrayList<>(columns.subList(0, head));
            kept.add(new Column(null, null, dumps, Map.of()));
            kept.addAll(columns.subList(columns.size() - tail, columns.size()));
            columns = kept;
        }
        List<Column> shown = columns;
        ObjectNode h = ReportModel.MAPPER.createObjectNode();
        ArrayNode snaps = h.putArray("snapshots");
        for (Column c : shown) {
            snaps.add(c.label());
        }
        ArrayNode list = h.putArray("locks");
        lockNames.forEach((key, name) -> {
            ObjectNode r = list.addObject();
            r.put("lock", name);
            ArrayNode cells = r.putArray("cells");
            for (Column c : shown) {
                Cell cell = c.cells().get(key);
                ObjectNode cn = cells.addObject();
                cn.put("waiters", cell == null ? 0 : cell.waiters());
                if (cell != null) {
                    cn.put("owner", cell.owner());
                }
            }
        });
        return h;
    }
}
