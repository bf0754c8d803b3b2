package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmHistory;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import java.util.ArrayList;
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
    static ObjectNode lockHistory(JvmHistory jvm) {
        ObjectNode h = ReportModel.MAPPER.createObjectNode();
        ArrayNode snaps = h.putArray("snapshots");
        Map<String, ObjectNode> rows = new LinkedHashMap<>();
        int column = 0;
        List<Snapshot> snapshots = jvm.snapshots();
        for (Snapshot s : snapshots) {
            snaps.add(s.label());
            LockGraph g = LockGraph.of(s);
            for (Wait w : g.waits()) {
                String key = w.lock().className() + "@" + w.lock().id();
                if (!rows.containsKey(key) && rows.size() >= HISTORY_LOCKS) {
                    continue;
                }
                ObjectNode row = rows.computeIfAbsent(key, k -> {
                    ObjectNode r = ReportModel.MAPPER.createObjectNode();
                    r.put("lock", w.lock().toString());
                    ArrayNode cells = r.putArray("cells");
                    for (int i = 0; i < snapshots.size(); i++) {
                        cells.addObject().put("waiters", 0);
                    }
                    return r;
                });
                ObjectNode cell = (ObjectNode) row.path("cells").get(column);
                cell.put("waiters", cell.path("waiters").asInt() + 1);
                List<Hold> holders = g.holdersOf(w.lock().id());
                cell.put("owner", holders.isEmpty() ? "" : g.thread(holders.get(0).thread()).name());
            }
            column++;
        }
        ArrayNode list = h.putArray("locks");
        rows.values().forEach(list::add);
        return h;
    }
}
