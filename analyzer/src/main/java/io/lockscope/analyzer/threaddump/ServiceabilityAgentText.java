package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.ThreadState;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Serviceability Agent ({@code jhsdb jstack}, {@code jstack -F}) prints differently from
 * HotSpot, and how to read it as HotSpot would have printed it: its frames, its class names, and
 * its monitor lines, which it lists in the other order and labels by checks that err. Used by
 * {@link HotSpotTextDecoder}, which reads the rest of the agent's text as HotSpot's.
 */
final class ServiceabilityAgentText {

    private ServiceabilityAgentText() {
    }

    /** How the agent begins each of its dumps: a file of several holds them one after another. */
    static boolean startsDump(String line) {
        return line.startsWith("Attaching to process ID ") || line.startsWith("Deadlock Detection:");
    }

    /** Where a frame line of the agent gives its bytecode index ({@code " @bci="}), or -1 if it is none. */
    static int bciAt(String line) {
        return line.indexOf(" @bci=");
    }

    /** A JDK 5-8 jstack -F thread, matched by {@link TextDialect#AGENT_THREAD_LINE}: no name but its OS thread id, and the VM's state rather than Thread.State. */
    static TextThread threadHeader(java.util.regex.Matcher m, long n, String file, java.util.Map<String, Frame> frameCache) {
        boolean mac = m.group(1) != null;
        TextThread t = new TextThread("Thread " + (mac ? "t@" : "") + m.group(2), n, file, frameCache);
        if (!mac) {
            // the Linux LWP id, which jstack prints in hex as nid=
            t.nid = "0x" + Long.toHexString(Long.parseLong(m.group(2)));
        }
        String vmState = m.group(3);
        t.state = switch (vmState) {
            case "IN_JAVA", "IN_NATIVE", "IN_VM" -> ThreadState.RUNNABLE;
            case "NEW", "UNINITIALIZED" -> ThreadState.NEW;
            default -> ThreadState.UNKNOWN;
        };
        t.stateDetail = "the VM's state " + vmState;
        t.headerState = vmState.equals("BLOCKED")
                ? "the VM's state BLOCKED: sleeping, waiting, parked or entering a monitor (jstack -F does not say which)"
                : "the VM's state " + vmState;
        return t;
    }

    /**
     * A Serviceability Agent frame, {@code - pkg.Class.method(long, int) @bci=14, line=211 (Interpreted frame)},
     * as HotSpot's text would name it: {@code pkg.Class.method(Class.java:211)}. The agent prints no file name.
     */
    static String frame(String line, int bci) {
        String method = line.substring(2, bci);
        int paren = method.indexOf('(');
        if (paren > 0) {
            method = method.substring(0, paren);
        }
        int at = line.indexOf(", line=", bci);
        int lineNumber = -1;
        if (at > 0) {
            int end = at + 7;
            while (end < line.length() && (Character.isDigit(line.charAt(end)) || line.charAt(end) == '-')) {
                end++;
            }
            try {
                lineNumber = Integer.parseInt(line.substring(at + 7, end));
            } catch (NumberFormatException e) {
                // no number after all
            }
        }
        int dot = method.lastIndexOf('.');
        String cls = dot < 0 ? method : method.substring(0, dot);
        return method + "(" + (lineNumber > 0 ? Frame.guessedSourceFile(cls) + ":" + lineNumber : "") + ")";
    }

    /**
     * A class as HotSpot prints it. The Serviceability Agent names classes in lock lines as the VM
     * does inside ({@code java/util/concurrent/locks/ReentrantLock$NonfairSync}); a hidden class's
     * {@code /0x...} suffix ({@code Scenario$$Lambda/0x0000000800c03000}), and a JDK 8 lambda's
     * {@code /1149319664}, are part of their names.
     */
    static String binaryName(String cls) {
        if (cls.indexOf('/') < 0) {
            return cls;
        }
        // a class's own name goes on after a slash with its address (hidden classes, "/0x...") or a number
        // (JDK 8 lambdas, "Main$$Lambda$1/1149319664"); a package name never starts with a digit
        int suffix = -1;
        for (int i = cls.indexOf('/'); i >= 0; i = cls.indexOf('/', i + 1)) {
            if (i + 1 < cls.length() && Character.isDigit(cls.charAt(i + 1))) {
                suffix = i;
                break;
            }
        }
        String head = suffix < 0 ? cls : cls.substring(0, suffix);
        if (head.indexOf('.') >= 0 || head.indexOf('/') < 0) {
            return cls;
        }
        return head.replace('/', '.') + (suffix < 0 ? "" : cls.substring(suffix));
    }

    /**
     * Puts the agent's monitor lines in HotSpot's order and meaning. For an interpreted frame the
     * agent lists monitors oldest first, the reverse of HotSpot (InterpretedVFrame.getMonitors
     * walks the frame's monitor block from its newest slot, and JavaVFrame.printLockInfo walks that
     * list backwards; src/jdk.hotspot.agent/share/classes/sun/jvm/hotspot/runtime/), and it asks
     * which one is being entered of the oldest, so its "locked" and "waiting to lock" on a top frame
     * holding several monitors are not to be trusted (JDK 17 prints both as locked, JDK 25 swaps
     * them). In HotSpot's order the monitor a blocked thread enters is the newest of its top frame,
     * and every other one is held.
     */
    static void monitorOrder(List<Frame> frames, java.util.BitSet interpreted, boolean blockedOnEntry) {
        for (int i = interpreted.nextSetBit(0); i >= 0 && i < frames.size(); i = interpreted.nextSetBit(i + 1)) {
            Frame f = frames.get(i);
            List<LockAction> locks = new ArrayList<>(f.locks());
            List<Integer> slots = new ArrayList<>();
            for (int k = 0; k < locks.size(); k++) {
                if (isMonitorLine(locks.get(k))) {
                    slots.add(k);
                }
            }
            if (slots.size() < 2) {
                continue;
            }
            List<LockAction> monitors = new ArrayList<>();
            for (int k : slots) {
                monitors.add(locks.get(k));
            }
            java.util.Collections.reverse(monitors);
            for (int k = 0; k < slots.size(); k++) {
                locks.set(slots.get(k), monitors.get(k));
            }
            frames.set(i, new Frame(f.method(), f.location(), locks));
        }
        if (!blockedOnEntry || frames.isEmpty() || frames.get(0).methodName().startsWith("wait")) {
            return;
        }
        Frame top = frames.get(0);
        List<LockAction> locks = new ArrayList<>(top.locks());
        boolean first = true;
        for (int k = 0; k < locks.size(); k++) {
            LockAction a = locks.get(k);
            if (isMonitorLine(a)) {
                LockAction.Kind kind = first ? LockAction.Kind.WAITING_TO_LOCK : LockAction.Kind.LOCKED;
                locks.set(k, new LockAction(kind, a.lock(), a.at()));
                first = false;
            }
        }
        frames.set(0, new Frame(top.method(), top.location(), locks));
    }

    /**
     * JDK 25's agent prints "- waiting to lock" for a monitor that is owned anonymously
     * (JavaVFrame.identifyLockState): with lightweight locking, a monitor inflated by a
     * contender while its owner held it fast-locked has no owner thread recorded until the owner
     * claims it. A thread that runs, rather than blocks, while "waiting to lock" a monitor no other
     * thread holds is that owner; jcmd's dump of the same moment shows it as "- locked".
     */
    static void anonymousOwners(List<JvmThread> threads) {
        java.util.Set<String> held = new java.util.HashSet<>();
        for (JvmThread t : threads) {
            for (Frame f : t.frames()) {
                for (LockAction a : f.locks()) {
                    if (a.kind() == LockAction.Kind.LOCKED) {
                        held.add(a.lock().id());
                    }
                }
            }
        }
        for (int i = 0; i < threads.size(); i++) {
            JvmThread t = threads.get(i);
            if (t == null || t.state() != ThreadState.RUNNABLE || t.frames().isEmpty()) {
                continue;
            }
            Frame top = t.frames().get(0);
            if (top.locks().isEmpty() || top.locks().get(0).kind() != LockAction.Kind.WAITING_TO_LOCK
                    || held.contains(top.locks().get(0).lock().id())) {
                continue;
            }
            List<LockAction> locks = new ArrayList<>(top.locks());
            LockAction a = locks.get(0);
            locks.set(0, new LockAction(LockAction.Kind.LOCKED, a.lock(), a.at()));
            List<Frame> frames = new ArrayList<>(t.frames());
            frames.set(0, new Frame(top.method(), top.location(), locks));
            threads.set(i, t.withFrames(frames));
        }
    }

    private static boolean isMonitorLine(LockAction a) {
        return a.kind() == LockAction.Kind.LOCKED || a.kind() == LockAction.Kind.WAITING_TO_LOCK;
    }
}
