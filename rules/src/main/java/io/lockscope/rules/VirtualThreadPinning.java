package io.lockscope.rules;

import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Input;
import io.lockscope.engine.Rule;
import io.lockscope.engine.RuleContext;
import io.lockscope.engine.RuleMeta;
import io.lockscope.engine.RuleResult;
import io.lockscope.engine.Severity;
import io.lockscope.engine.Threshold;
import io.lockscope.model.Recording;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Virtual threads that blocked while pinned to their carrier thread (jdk.VirtualThreadPinned):
 * the carrier could not run other virtual threads meanwhile. One finding per JVM, with each
 * place it happened.
 */
@RuleMeta(
        id = "virtual-thread-pinning",
        summary = "Virtual threads blocked while pinned to their carriers, which could run nothing else meanwhile",
        severity = Severity.WARNING,
        needs = {Input.RECORDING})
public final class VirtualThreadPinning implements Rule {

    static final Threshold MIN_PINNED_MS = Threshold.of("min-pinned-ms",
            "how long virtual threads must have been pinned in all, over the recording", "milliseconds", 100);

    static final String HINT = "Find what keeps the virtual thread on its carrier at each place listed: a native "
            + "frame (JNI, a foreign call) or a class's static initializer (on JDK 21-23 also synchronized blocks "
            + "and Object.wait(); JDK 24 unpins those, JEP 491). Move blocking work out of static initializers and "
            + "native upcalls, or run it on a platform thread.";

    @Override
    public List<Threshold> thresholds() {
        return List.of(MIN_PINNED_MS);
    }

    @Override
    public RuleResult check(RuleContext context) {
        if (context.jvm().recordings().isEmpty()) {
            return RuleResult.notApplicable("needs " + Input.RECORDING.description() + ", from JDK 21 on");
        }
        List<Finding> findings = new ArrayList<>();
        long events = 0;
        Duration total = Duration.ZERO;
        Set<String> threads = new LinkedHashSet<>();
        List<Evidence> evidence = new ArrayList<>();
        String worst = "";
        Duration worstTotal = Duration.ZERO;
        for (Recording r : context.jvm().recordings()) {
            for (Recording.Pinning p : r.pinnings()) {
                events += p.events();
                total = total.plus(p.total());
                threads.addAll(p.threads().keySet());
                if (p.total().compareTo(worstTotal) > 0) {
                    worstTotal = p.total();
                    worst = p.site();
                }
                evidence.add(Evidence.recorded(r.label(), r.at(), p.threads().keySet().stream().findFirst(), Optional.empty(),
                        "pinned " + p.events() + (p.events() == 1 ? " time" : " times") + " at " + p.site() + ", "
                                + p.total().toMillis() + " ms in all, the longest " + p.longest().toMillis() + " ms",
                        p.sampleStack().stream().map(f -> "at " + f.text()).toList()));
            }
        }
        if (events == 0 || total.toMillis() < context.threshold(MIN_PINNED_MS)) {
            return RuleResult.of(findings);
        }
        String title = "Virtual threads pinned their carriers " + events + (events == 1 ? " time" : " times") + ", "
                + total.toMillis() + " ms in all; the most at " + worst;
        findings.add(new Finding("virtual-thread-pinning", Severity.WARNING, title, context.jvm().id(),
                List.copyOf(threads).stream().map(t -> t.isEmpty() ? "(unnamed virtual thread)" : t).distinct().toList(), List.of(),
                evidence, "While pinned, a virtual thread that blocks keeps its carrier (a platform thread of the "
                        + "scheduler) from running any other virtual thread; with enough of them the scheduler runs out of carriers.",
                HINT, "virtual-thread-pinning|" + worst.replaceAll(":\\d+\\)", ")")));
        return RuleResult.of(findings);
    }
}
