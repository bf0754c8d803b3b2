package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Frame;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.ThreadState;
import java.util.ArrayList;
import java.util.List;

/**
 * What renderings of {@code ThreadMXBean.dumpAllThreads} share (ThreadInfo.toString(), Spring
 * Boot actuator's text and JSON): frames as StackTraceElement.toString() prints them, locks named
 * by identity hash, and a wait whose kind is to be read from the thread's state, since none of
 * them says whether a thread is parked or waiting in Object.wait().
 */
final class ThreadMXBeanText {

    private ThreadMXBeanText() {
    }

    /**
     * What the top frame's wait is, from the thread's state: Spring Boot's formatter writes "waiting to
     * lock ... owned by" for any lock that has an owner (a ReentrantLock a thread is parked on), and
     * "parking to wait for" for one that has none (a monitor a thread waits on in Object.wait0, the
     * top frame since JDK 21, which it does not recognize as wait). A thread blocked on a monitor
     * waits to lock it; one in Object.wait waits on it; any other waiting thread is parked. The
     * JSON decoder of the actuator's dump applies the same rule.
     */
    static Frame waitByState(Frame top, ThreadState state) {
        if (top.locks().isEmpty()) {
            return top;
        }
        LockAction first = top.locks().get(0);
        LockAction.Kind kind = waitKind(top, state);
        if (kind == null || first.kind() == LockAction.Kind.LOCKED || first.kind() == kind) {
            return top;
        }
        List<LockAction> locks = new ArrayList<>(top.locks());
        locks.set(0, new LockAction(kind, first.lock(), first.at()));
        return new Frame(top.method(), top.location(), locks);
    }

    /** The kind of wait a thread in this state, with this top frame, is in; null if it waits for no lock. */
    static LockAction.Kind waitKind(Frame top, ThreadState state) {
        if (state == ThreadState.BLOCKED) {
            return LockAction.Kind.WAITING_TO_LOCK;
        }
        if (state != ThreadState.WAITING && state != ThreadState.TIMED_WAITING) {
            return null;
        }
        return top.method().equals("java.lang.Object.wait") || top.method().equals("java.lang.Object.wait0")
                ? LockAction.Kind.WAITING_ON : LockAction.Kind.PARKING;
    }

    /** ThreadInfo's "java.util.concurrent.locks.ReentrantLock$NonfairSync@11fcc5c5": the hash is the lock's id. */
    static LockRef hashLock(String s) {
        int at = s.lastIndexOf('@');
        return at > 0 ? new LockRef(s.substring(at + 1), s.substring(0, at)) : new LockRef(s, "?");
    }

    /**
     * A frame as StackTraceElement.toString() prints it, which renderings of ThreadInfo (the
     * actuator's, JMX tools') copy: class loader and module before the class,
     * {@code app//Scenario.run(Scenario.java:12)}, {@code java.base@17.0.15/java.lang.Thread.run(Thread.java:840)}.
     * HotSpot puts the module inside the parentheses instead; the method is named the same either way.
     * A hidden class keeps its {@code /0x...}: {@code Scenario$$Lambda$1067/0x00007f26ec427840.run}, and a
     * JDK 8 lambda its number: {@code Main$$Lambda$1/1149319664.run}.
     */
    static String withoutLoaderAndModule(String text) {
        int paren = text.indexOf('(');
        int end = paren < 0 ? text.length() : paren;
        int from = 0;
        int slash;
        // after the slash of a class's own name comes its address (JDK 15+ hidden classes, "/0x...") or a
        // number (JDK 8 lambdas, "Main$$Lambda$1/1149319664"); a loader or module name is followed by a name
        while ((slash = text.indexOf('/', from)) >= 0 && slash < end && !startsLikeAClassSuffix(text, slash + 1)) {
            from = slash + 1;
        }
        return from == 0 ? text : text.substring(from);
    }

    private static boolean startsLikeAClassSuffix(String text, int at) {
        return at < text.length() && Character.isDigit(text.charAt(at));
    }
}
