package io.lockscope.rules;

import io.lockscope.engine.Evidence;
import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import java.util.List;
import java.util.Optional;

/** Evidence built the same way by every rule. */
final class Evidences {

    static final int STACK_LINES = 14;

    private Evidences() {
    }

    static Evidence waits(LockGraph g, Wait w, Optional<JvmThread> owner, boolean withStack) {
        JvmThread waiter = g.thread(w.thread());
        return new Evidence(Evidence.Kind.WAITS_FOR, g.snapshot().label(), w.at(), Optional.of(waiter.name()),
                Optional.of(w.lock()), w.frame().map(Frame::text), owner.map(JvmThread::name),
                withStack ? Deadlock.stackOf(waiter, STACK_LINES) : List.of());
    }

    static Evidence holds(LockGraph g, Hold h, boolean withStack) {
        JvmThread owner = g.thread(h.thread());
        return new Evidence(Evidence.Kind.HOLDS, g.snapshot().label(), h.at(), Optional.of(owner.name()),
                Optional.of(h.lock()), h.frame().map(Frame::text), Optional.empty(),
                withStack ? Deadlock.stackOf(owner, STACK_LINES) : List.of());
    }
}
