package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.analyzer.Analysis;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Rule;
import io.lockscope.engine.Severity;
import io.lockscope.engine.Words;
import io.lockscope.graph.LockGraph;
import io.lockscope.model.JvmHistory;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import io.lockscope.model.ThreadState;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report as one JSON tree: {@code lockscope-report.json} is this tree, and the HTML report
 * renders the same tree, so the two never disagree. The shape is documented in the README and
 * versioned by {@link #SCHEMA_VERSION}; fields are only ever added.
 */
public final class ReportModel {

    public static final int SCHEMA_VERSION = 1;
    public static final String TOOL = "lockscope";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportModel() {
    }

    public static ObjectNode build(Analysis.Result result, String version) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("tool", TOOL);
        root.put("version", version);
        root.put("schemaVersion", SCHEMA_VERSION);
        root.set("summary", summary(result));
        ArrayNode inputs = root.putArray("inputs");
        for (InputReport in : result.inputs()) {
            ObjectNode n = inputs.addObject();
            n.put("path", in.path());
            n.put("format", in.format().id());
            n.put("formatName", in.format().description());
            n.put("status", in.status().id());
            n.put("message", in.message());
            n.put("snapshots", in.snapshots());
            n.put("bytes", in.bytes());
        }
        ArrayNode jvms = root.putArray("jvms");
        for (JvmHistory jvm : result.jvms()) {
            jvms.add(jvm(jvm, result));
        }
        ArrayNode findings = root.putArray("findings");
        for (Finding f : result.outcome().findings()) {
            findings.add(finding(f, result));
        }
        ArrayNode rules = root.putArray("rules");
        for (Rule r : result.rules()) {
            ObjectNode n = rules.addObject();
            n.put("id", r.info().id());
            n.put("summary", r.info().summary());
            n.put("severity", r.info().defaultSeverity().id());
            n.put("description", RulePages.whatItFinds(r.info().id()));
        }
        return root;
    }

    private static ObjectNode summary(Analysis.Result result) {
        ObjectNode s = MAPPER.createObjectNode();
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity sev : Severity.values()) {
            counts.put(sev, 0);
        }
        for (Finding f : result.outcome().findings()) {
            counts.merge(f.severity(), 1, Integer::sum);
        }
        ObjectNode c = s.putObject("counts");
        c.put("error", counts.get(Severity.ERROR));
        c.put("warning", counts.get(Severity.WARNING));
        c.put("info", counts.get(Severity.INFO));
        s.put("inputs", result.inputs().size());
        s.put("snapshots", result.jvms().stream().mapToInt(j -> j.snapshots().size()).sum());
        s.put("jvms", result.jvms().size());
        s.put("suppressedByBaseline", result.outcome().suppressed().size());
        ArrayNode verdicts = s.putArray("verdicts");
        for (JvmHistory jvm : result.jvms()) {
            ObjectNode v = verdicts.addObject();
            v.put("jvm", jvm.id());
            v.put("label", jvm.label());
            List<Finding> mine = result.outcome().findings().stream().filter(f -> f.jvm().equals(jvm.id())).toList();
            // an Android app hangs when its main thread does: say first what main is waiting for
            String main = AndroidMain.blocked(jvm).map(m -> m + ". ").orElse("");
            if (mine.isEmpty()) {
                v.put("severity", "none");
                v.put("text", main + "No lock problems found in " + Words.count(jvm.snapshots().size(), "dump"));
            } else {
                Finding top = mine.get(0);
                v.put("severity", top.severity().id());
                v.put("text", main + top.title() + (mine.size() > 1 ? " (and " + Words.count(mine.size() - 1, "more finding") + ")" : ""));
                v.put("finding", top.id());
            }
        }
        return s;
    }

    /** Dumps of one JVM listed one by one; past this many, the first and last half of it. */
    static final int MAX_LISTED_SNAPSHOTS = 200;

    private static ObjectNode jvm(JvmHistory jvm, Analysis.Result result) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", jvm.id());
        n.put("label", jvm.label());
        n.put("grouping", jvm.grouping());
        ArrayNode snaps = n.putArray("snapshots");
        List<Snapshot> all = jvm.snapshots();
        // a log of thousands of dumps lists its first and last ones: the report stays of a size people open
        int notListed = Math.max(0, all.size() - MAX_LISTED_SNAPSHOTS);
        if (notListed > 0) {
            n.put("snapshotsNotListed", notListed);
        }
        for (int i = 0; i < all.size(); i++) {
            if (notListed > 0 && i >= MAX_LISTED_SNAPSHOTS / 2 && i < all.size() - MAX_LISTED_SNAPSHOTS / 2) {
                continue;
            }
            Snapshot s = all.get(i);
            ObjectNode sn = snaps.addObject();
            sn.put("label", s.label());
            sn.put("format", s.format());
            sn.put("source", s.at().toString());
            s.time().ifPresent(t -> sn.put("time", t.toString()));
            sn.put("threads", s.threads().size());
            sn.put("monitorOwnersShown", s.monitorOwners().shown());
            sn.put("synchronizerOwnersShown", s.synchronizerOwners().shown());
            sn.put("deadlocksReportedByJvm", s.reportedDeadlocks().size());
            Map<ThreadState, Integer> states = new EnumMap<>(ThreadState.class);
            for (JvmThread t : s.threads()) {
                states.merge(t.state(), 1, Integer::sum);
            }
            ObjectNode st = sn.putObject("states");
            states.forEach((k, v) -> st.put(k.name(), v));
        }
        addPictures(n, jvm, result);
        ArrayNode recs = n.putArray("recordings");
        for (io.lockscope.model.Recording r : jvm.recordings()) {
            ObjectNode rn = recs.addObject();
            rn.put("label", r.label());
            r.start().ifPresent(t -> rn.put("start", t.toString()));
            r.end().ifPresent(t -> rn.put("end", t.toString()));
            rn.put("complete", r.complete());
            rn.put("note", r.note());
            ObjectNode counts = rn.putObject("eventCounts");
            r.eventCounts().forEach(counts::put);
            rn.put("threadsEnded", r.threads().stream().filter(t -> t.ended().isPresent()).count());
            rn.put("exceptionsKept", r.exceptions().size());
            rn.put("contendedLocks", r.contentions().size());
            rn.put("pinningSites", r.pinnings().size());
        }
        TimelineLayout.of(jvm).ifPresent(t -> n.set("timeline", t));
        ObjectNode na = n.putObject("notApplicable");
        Map<String, String> reasons = result.outcome().notApplicable().getOrDefault(jvm.id(), new LinkedHashMap<>());
        reasons.forEach(na::put);
        ArrayNode blind = n.putArray("blindSpots");
        BlindSpots.of(jvm).forEach(blind::add);
        return n;
    }

    private static ObjectNode finding(Finding f, Analysis.Result result) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", f.id());
        n.put("rule", f.rule());
        n.put("severity", f.severity().id());
        n.put("title", f.title());
        n.put("jvm", f.jvm());
        result.jvms().stream().filter(j -> j.id().equals(f.jvm())).findFirst().ifPresent(j -> n.put("jvmLabel", j.label()));
        ArrayNode threads = n.putArray("threads");
        f.threads().forEach(threads::add);
        ArrayNode locks = n.putArray("locks");
        for (LockRef l : f.locks()) {
            ObjectNode ln = locks.addObject();
            ln.put("class", l.className());
            ln.put("id", l.id());
        }
        ArrayNode evidence = n.putArray("evidence");
        for (Evidence e : f.evidence()) {
            ObjectNode en = evidence.addObject();
            en.put("kind", e.kind().name().toLowerCase().replace('_', '-'));
            en.put("text", e.describe());
            en.put("snapshot", e.snapshot());
            en.put("source", e.at().toString());
            en.put("file", e.at().file());
            en.put("line", e.at().position());
            e.thread().ifPresent(t -> en.put("thread", t));
            e.otherThread().ifPresent(t -> en.put("otherThread", t));
            e.lock().ifPresent(l -> {
                ObjectNode ln = en.putObject("lock");
                ln.put("class", l.className());
                ln.put("id", l.id());
            });
            e.frame().ifPresent(fr -> en.put("frame", fr));
            if (!e.stack().isEmpty()) {
                ArrayNode st = en.putArray("stack");
                e.stack().forEach(st::add);
            }
        }
        n.put("dumps", f.dumps());
        n.put("similar", f.similar());
        n.put("certainty", f.problem().certainty().name().toLowerCase(java.util.Locale.ROOT));
        n.put("basis", f.problem().basis().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        n.put("detail", f.detail());
        n.put("hint", f.hint());
        n.put("fingerprint", f.fingerprint());
        return n;
    }

    /** The snapshot a JVM's pictures show: the latest one its findings cite, else its latest. */
    static Snapshot pictured(JvmHistory jvm, List<Finding> findings) {
        Set<String> cited = new HashSet<>();
        findings.forEach(f -> f.evidence().forEach(e -> cited.add(e.snapshot())));
        Snapshot chosen = jvm.snapshots().get(jvm.snapshots().size() - 1);
        for (Snapshot s : jvm.snapshots()) {
            if (cited.contains(s.label())) {
                chosen = s;
            }
        }
        return chosen;
    }

    private static void addPictures(ObjectNode n, JvmHistory jvm, Analysis.Result result) {
        if (jvm.snapshots().isEmpty()) {
            return;
        }
        List<Finding> mine = result.outcome().findings().stream().filter(f -> f.jvm().equals(jvm.id())).toList();
        Snapshot s = pictured(jvm, mine);
        LockGraph g = LockGraph.of(s);
        Set<String> threads = new HashSet<>();
        Set<String> locks = new HashSet<>();
        mine.forEach(f -> {
            threads.addAll(f.threads());
            f.locks().forEach(l -> locks.add(l.id()));
        });
        n.put("graphSnapshot", s.label());
        ObjectNode focused = GraphLayout.layout(g, threads, locks, mine.isEmpty());
        ObjectNode full = GraphLayout.layout(g, Set.of(), Set.of(), true);
        n.set("graph", focused);
        if (full.path("nodes").size() > focused.path("nodes").size()) {
            n.set("fullGraph", full);
        }
        n.set("threadTable", ThreadTable.of(g));
        n.set("lockHistory", ThreadTable.lockHistory(jvm));
    }

}
