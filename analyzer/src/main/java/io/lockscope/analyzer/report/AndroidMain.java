package io.lockscope.analyzer.report;

import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.JvmHistory;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import io.lockscope.model.ThreadState;
import java.util.List;
import java.util.Optional;

/**
 * "main is blocked": an Android app is not responding when its main thread waits, and the ANR
 * trace is read for that first. What main waits for in the last dump of an ART process, and who
 * holds it, for the verdict.
 */
final class AndroidMain {

    private AndroidMain() {
    }

    static Optional<String> blocked(JvmHistory jvm) {
        if (jvm.snapshots().isEmpty()) {
            return Optional.empty();
        }
        Snapshot last = jvm.snapshots().get(jvm.snapshots().size() - 1);
        if (!last.format().equals("anr")) {
            return Optional.empty();
        }
        Optional<JvmThread> main = last.threads().stream().filter(t -> t.name().equals("main")).findFirst();
        if (main.isEmpty()) {
            return Optional.empty();
        }
        LockGraph g = LockGraph.of(last);
        List<Wait> waits = g.waitsOf(main.get().index());
        String where = main.get().frames().isEmpty() ? "" : " in " + main.get().frames().get(0).text();
        if (waits.isEmpty()) {
            if (main.get().state() == ThreadState.BLOCKED) {
                return Optional.of("main is blocked" + where);
            }
            return Optional.empty();
        }
        Wait w = waits.get(0);
        List<Hold> holders = g.holdersOf(w.lock().id());
        String by = holders.isEmpty() ? "" : " held by " + g.thread(holders.get(0).thread()).name();
        return Optional.of("main is blocked waiting to lock " + w.lock().simpleClassName() + " <" + w.lock().id() + ">" + by
                + w.frame().map(f -> " in " + f.text()).orElse(where));
    }
}
