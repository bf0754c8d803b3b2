package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.graph.WaitForCycle;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays out one snapshot's lock graph as a picture: threads and locks as boxes, "waits for" and
 * "held by" as arrows, top to bottom along the wait (waiter, lock, owner, next lock, ...). A
 * layered layout: cycles are broken for layering only and their closing arrows curve back up on
 * the right; the nodes of a layer are ordered to keep arrows short; a lock with many waiters shows
 * a few and a box for the rest.
 */
final class GraphLayout {

    static final int NODE_W = 200;
    static final int NODE_H = 34;
    static final int LAYER_GAP = 46;
    static final int COLUMN_GAP = 26;
    static final int BACK_ROOM = 60;
    static final int MARGIN = 20;
    /** Waiters drawn per lock before the rest are folded into one "+N more" box. */
    static final int SHOWN_WAITERS = 3;
    /** Nodes drawn at most, so a dump of thousands of threads stays a picture. */
    static final int MAX_NODES = 400;

    private record Node(String id, String kind, String label, String title, boolean focus) {
    }

    private record Edge(String from, String to, String kind, boolean cycle) {
    }

    private GraphLayout() {
    }

    /**
     * The graph around the given threads and locks: them, the locks they hold or wait for, and the
     * threads that hold or wait for those locks. With nothing given, every lock somebody waits for.
     */
    static ObjectNode layout(LockGraph g, Set<String> focusThreads, Set<String> focusLocks, boolean everything) {
        Set<Integer> cycleThreads = new HashSet<>();
        Set<String> cycleLocks = new HashSet<>();
        for (WaitForCycle c : g.cycles()) {
            cycleThreads.addAll(c.threads());
            c.waits().forEach(w -> cycleLocks.add(w.lock().id()));
        }
        // which locks to draw
        Set<String> locks = new LinkedHashSet<>();
        for (Wait w : g.waits()) {
            boolean relevant = everything || focusLocks.contains(w.lock().id())
                    || focusThreads.contains(g.thread(w.thread()).name());
            if (relevant) {
                locks.add(w.lock().id());
            }
        }
        for (Hold h : g.holds()) {
            if (!g.waitersFor(h.lock().id()).isEmpty() && (everything || focusThreads.contains(g.thread(h.thread()).name())
                    || focusLocks.contains(h.lock().id()))) {
                locks.add(h.lock().id());
            }
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        // owners the dump does not show that would close a likely deadlock: drawn as "likely held by"
        Map<String, Set<Integer>> likely = io.lockscope.rules.LikelyOwners.of(g);
        for (String lockId : locks) {
            if (nodes.size() >= MAX_NODES) {
                break;
            }
            List<Wait> waiters = g.waitersFor(lockId);
            List<Hold> holders = g.holdersOf(lockId);
            LockRef ref = !waiters.isEmpty() ? waiters.get(0).lock() : holders.get(0).lock();
            String lockNode = "l:" + lockId;
            nodes.putIfAbsent(lockNode, new Node(lockNode, "lock", ref.simpleClassName(), ref.toString(),
                    focusLocks.contains(lockId)));
            int shown = 0;
            List<Wait> sorted = new ArrayList<>(waiters);
            // threads that matter (in a finding, in a cycle) are drawn before the crowd
            sorted.sort(Comparator.comparing((Wait w) -> !(cycleThreads.contains(w.thread())
                    || focusThreads.contains(g.thread(w.thread()).name()))));
            for (Wait w : sorted) {
                JvmThread t = g.thread(w.thread());
                boolean important = cycleThreads.contains(w.thread()) || g.holdsOf(w.thread()).stream()
                        .anyMatch(h -> locks.contains(h.lock().id()));
                if (shown >= SHOWN_WAITERS && !important) {
                    continue;
                }
                shown++;
                String tn = threadNode(nodes, t, focusThreads, cycleThreads.contains(w.thread()));
                edges.add(new Edge(tn, lockNode, "wait", cycleThreads.contains(w.thread()) && cycleLocks.contains(lockId)));
            }
            if (waiters.size() > shown) {
                String more = "m:" + lockId;
                nodes.put(more, new Node(more, "more", "+" + (waiters.size() - shown) + " more waiting",
                        (waiters.size() - shown) + " more threads wait for " + ref, false));
                edges.add(new Edge(more, lockNode, "wait", false));
            }
            if (holders.isEmpty() && likely.containsKey(lockId)) {
                for (int owner : likely.get(lockId)) {
                    String tn = threadNode(nodes, g.thread(owner), focusThreads, false);
                    edges.add(new Edge(lockNode, tn, "hold likely", false));
                }
            } else if (holders.isEmpty()) {
                String ghost = "g:" + lockId;
                nodes.put(ghost, new Node(ghost, "ghost", "owner not shown",
                        "No live thread in this dump holds " + ref + ": its owner is gone, or the dump does not list owners", false));
                edges.add(new Edge(lockNode, ghost, "hold", false));
            }
            for (Hold h : holders) {
                JvmThread t = g.thread(h.thread());
                String tn = threadNode(nodes, t, focusThreads, cycleThreads.contains(h.thread()));
                edges.add(new Edge(lockNode, tn, "hold", cycleThreads.contains(h.thread()) && cycleLocks.contains(lockId)));
            }
        }
        return place(nodes, edges);
    }

    private static String threadNode(Map<String, Node> nodes, JvmThread t, Set<String> focus, boolean inCycle) {
        String id = "t:" + t.index();
        // a thread a heap dump or the actuator shows ended, still holding what its node points to
        String kind = (inCycle ? "thread cycle" : "thread") + (t.alive() ? "" : " dead");
        nodes.putIfAbsent(id, new Node(id, kind, t.alive() ? t.name() : t.name() + " (ended)",
                t.label() + " (" + (t.alive() ? "" : "ended; ") + t.state().name()
                        + (t.stateDetail().isEmpty() ? "" : " " + t.stateDetail()) + ")",
                focus.contains(t.name())));
        return id;
    }

    /** Layers by longest path over the graph with its cycles broken, then rows by barycenter. */
    private static ObjectNode place(Map<String, Node> nodes, List<Edge> edges) {
        List<String> ids = new ArrayList<>(nodes.keySet());
        Map<String, List<String>> out = new HashMap<>();
        for (Edge e : edges) {
            out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
        }
        // break cycles: depth-first, an edge to a node on the current path is a back edge
        Set<String> back = new HashSet<>();
        Set<String> done = new HashSet<>();
        Set<String> onPath = new HashSet<>();
        for (String root : ids) {
            dfs(root, out, done, onPath, back);
        }
        Map<String, Integer> layer = new HashMap<>();
        for (String id : ids) {
            layer.put(id, 0);
        }
        boolean changed = true;
        for (int round = 0; changed && round < ids.size() + 1; round++) {
            changed = false;
            for (Edge e : edges) {
                if (back.contains(e.from() + ">" + e.to())) {
                    continue;
                }
                int want = layer.get(e.from()) + 1;
                if (layer.get(e.to()) < want) {
                    layer.put(e.to(), want);
                    changed = true;
                }
            }
        }
        int layers = layer.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        List<List<String>> byLayer = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            byLayer.add(new ArrayList<>());
        }
        for (String id : ids) {
            byLayer.get(layer.get(id)).add(id);
        }
        Map<String, Double> row = new HashMap<>();
        for (List<String> l : byLayer) {
            for (int i = 0; i < l.size(); i++) {
                row.put(l.get(i), (double) i);
            }
        }
        Map<String, List<String>> in = new HashMap<>();
        for (Edge e : edges) {
            in.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
        }
        for (int sweep = 0; sweep < 4; sweep++) {
            for (int i = 1; i < layers; i++) {
                reorder(byLayer.get(i), in, row);
            }
            for (int i = layers - 2; i >= 0; i--) {
                reorder(byLayer.get(i), out, row);
            }
        }
        int maxColumns = byLayer.stream().mapToInt(List::size).max().orElse(0);
        int width = MARGIN * 2 + maxColumns * NODE_W + Math.max(0, maxColumns - 1) * COLUMN_GAP + (back.isEmpty() ? 0 : BACK_ROOM);
        int height = MARGIN * 2 + layers * NODE_H + (layers - 1) * LAYER_GAP;
        Map<String, int[]> pos = new HashMap<>();
        for (int i = 0; i < layers; i++) {
            List<String> l = byLayer.get(i);
            int offset = (maxColumns - l.size()) * (NODE_W + COLUMN_GAP) / 2;
            for (int j = 0; j < l.size(); j++) {
                pos.put(l.get(j), new int[] {MARGIN + offset + j * (NODE_W + COLUMN_GAP), MARGIN + i * (NODE_H + LAYER_GAP)});
            }
        }
        ObjectNode result = ReportModel.MAPPER.createObjectNode();
        result.put("width", width);
        result.put("height", height);
        ArrayNode ns = result.putArray("nodes");
        for (String id : ids) {
            Node n = nodes.get(id);
            int[] p = pos.get(id);
            ObjectNode o = ns.addObject();
            o.put("id", id);
            o.put("kind", n.kind());
            o.put("label", shorten(n.label(), 27));
            o.put("title", n.title());
            o.put("x", p[0]);
            o.put("y", p[1]);
            o.put("w", NODE_W);
            o.put("h", NODE_H);
            o.put("focus", n.focus());
        }
        ArrayNode es = result.putArray("edges");
        int right = width - MARGIN / 2;
        for (Edge e : edges) {
            int[] a = pos.get(e.from());
            int[] b = pos.get(e.to());
            ObjectNode o = es.addObject();
            o.put("from", e.from());
            o.put("to", e.to());
            o.put("kind", e.kind());
            o.put("cycle", e.cycle());
            String path;
            if (b[1] > a[1]) {
                int x1 = a[0] + NODE_W / 2;
                int y1 = a[1] + NODE_H;
                int x2 = b[0] + NODE_W / 2;
                int y2 = b[1];
                int mid = (y1 + y2) / 2;
                path = "M" + x1 + " " + y1 + " C" + x1 + " " + mid + " " + x2 + " " + mid + " " + x2 + " " + y2;
            } else {
                // an arrow that closes a cycle goes back up: out of the source's right side, up the
                // right margin, into the target's right side
                int x1 = a[0] + NODE_W;
                int y1 = a[1] + NODE_H / 2;
                int x2 = b[0] + NODE_W;
                int y2 = b[1] + NODE_H / 2;
                path = "M" + x1 + " " + y1 + " C" + right + " " + y1 + " " + right + " " + y2 + " " + x2 + " " + y2;
            }
            o.put("path", path);
        }
        return result;
    }

    private static void dfs(String v, Map<String, List<String>> out, Set<String> done, Set<String> onPath, Set<String> back) {
        if (done.contains(v)) {
            return;
        }
        // iterative would be safer for huge graphs; the graph is capped at MAX_NODES
        onPath.add(v);
        for (String w : out.getOrDefault(v, List.of())) {
            if (onPath.contains(w)) {
                back.add(v + ">" + w);
            } else {
                dfs(w, out, done, onPath, back);
            }
        }
        onPath.remove(v);
        done.add(v);
    }

    private static void reorder(List<String> layer, Map<String, List<String>> neighbours, Map<String, Double> row) {
        Map<String, Double> bary = new HashMap<>();
        for (String v : layer) {
            List<String> ns = neighbours.getOrDefault(v, List.of());
            bary.put(v, ns.isEmpty() ? row.get(v) : ns.stream().mapToDouble(row::get).average().orElse(row.get(v)));
        }
        layer.sort(Comparator.comparing(bary::get));
        for (int i = 0; i < layer.size(); i++) {
            row.put(layer.get(i), (double) i);
        }
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
