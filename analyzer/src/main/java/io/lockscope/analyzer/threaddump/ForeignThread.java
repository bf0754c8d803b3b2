package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A thread of a dump that is not in HotSpot's text (an IBM javacore, JRockit, Android's ART, a
 * library's rendering of ThreadMXBean) while it is read: its header facts, its frames with the lock
 * lines under each, and the locks other threads say it owns. Frames are named as HotSpot names
 * them, dots between packages.
 */
final class ForeignThread {

    final String name;
    final long line;
    OptionalLong javaId = OptionalLong.empty();
    String nativeId;
    String address;
    ThreadState state = ThreadState.UNKNOWN;
    String detail = "";
    boolean daemon;
    /** The CPU time it has used, where the dump prints it (Tomcat's cpu=N ns). */
    OptionalLong cpuMicros = OptionalLong.empty();
    final List<Frame> frames = new ArrayList<>();
    private String frameText;
    private List<LockAction> frameLocks;
    /** Lock lines that came before the first frame (JRockit prints the wait above the stack). */
    final List<LockAction> beforeFrames = new ArrayList<>();
    /** Locks it holds that its frames do not show (an owner other lines name). */
    final List<LockRef> owned = new ArrayList<>();

    ForeignThread(String name, long line) {
        this.name = name;
        this.line = line;
    }

    void frame(String text) {
        endFrame();
        frameText = text;
    }

    /** A lock line: under the current frame, or, before any frame, kept for the top frame. */
    void lock(LockAction a) {
        if (frameText == null && frames.isEmpty()) {
            beforeFrames.add(a);
            return;
        }
        if (frameText == null) {
            // after the last frame ended (JRockit's "^--" lines follow their frame): the last frame's
            Frame last = frames.remove(frames.size() - 1);
            List<LockAction> locks = new ArrayList<>(last.locks());
            locks.add(a);
            frames.add(new Frame(last.method(), last.location(), locks));
            return;
        }
        if (frameLocks == null) {
            frameLocks = new ArrayList<>(2);
        }
        frameLocks.add(a);
    }

    void endFrame() {
        if (frameText == null) {
            return;
        }
        frames.add(DumpLines.toFrame(frameText, frameLocks == null ? List.of() : frameLocks));
        frameText = null;
        frameLocks = null;
    }

    /**
     * JRockit sleeps by waiting on a lock of its own, and prints it as a wait ("Waiting for
     * notification on", "Lock released while waiting" under Thread.sleep): that is a sleep, and the
     * lock is nobody's business.
     */
    void sleepIsNoWait() {
        endFrame();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (!f.method().equals("java.lang.Thread.sleep")) {
                continue;
            }
            List<String> own = f.locks().stream().filter(a -> a.kind() == LockAction.Kind.LOCKED).map(a -> a.lock().id()).toList();
            if (own.isEmpty() || beforeFrames.stream().noneMatch(a -> own.contains(a.lock().id()))) {
                return;
            }
            beforeFrames.removeIf(a -> own.contains(a.lock().id()));
            frames.set(i, new Frame(f.method(), f.location(), f.locks().stream().filter(a -> !own.contains(a.lock().id())).toList()));
            state = ThreadState.TIMED_WAITING;
            detail = detail.isEmpty() ? "sleeping" : detail + " (sleeping)";
            return;
        }
    }

    private boolean holdsInFrames(String lockId) {
        return frames.stream().flatMap(f -> f.locks().stream())
                .anyMatch(a -> a.kind() == LockAction.Kind.LOCKED && a.lock().id().equals(lockId));
    }

    /** Another line says this thread holds {@code lock}: a hold of its own unless its frames already show it. */
    void owns(LockRef lock) {
        if (!holdsInFrames(lock.id()) && !owned.contains(lock)) {
            owned.add(lock);
        }
    }

    /** Whether a line above or under its frames already says it waits for that lock. */
    boolean waitsFor(String lockId) {
        return beforeFrames.stream().anyMatch(a -> a.lock().id().equals(lockId))
                || frames.stream().flatMap(f -> f.locks().stream())
                        .anyMatch(a -> a.kind() != LockAction.Kind.LOCKED && a.lock().id().equals(lockId));
    }

    /** A later line says this thread has the lock it was seen waiting for: the wait is over. */
    void noLongerWaitsFor(String lockId) {
        endFrame();
        beforeFrames.removeIf(a -> a.kind() != LockAction.Kind.LOCKED && a.lock().id().equals(lockId));
        if (!frames.isEmpty()) {
            Frame top = frames.get(0);
            frames.set(0, new Frame(top.method(), top.location(),
                    top.locks().stream().filter(a -> a.kind() == LockAction.Kind.LOCKED || !a.lock().id().equals(lockId)).toList()));
        }
    }

    /**
     * A wait that a rendering of ThreadMXBean names apart from the frames, without saying which kind
     * it is: put on the top frame as the thread's state and that frame tell (see
     * {@link ThreadMXBeanText#waitKind}). The kind; null, and nothing put, if the thread has no frame
     * or its state is no wait.
     */
    LockAction.Kind waitByState(LockRef lock, SourceRef at) {
        endFrame();
        LockAction.Kind kind = frames.isEmpty() ? null : ThreadMXBeanText.waitKind(frames.get(0), state);
        if (kind != null) {
            waitOnTop(new LockAction(kind, lock, at));
        }
        return kind;
    }

    /** A wait that other lines tell of, put on the thread's top frame as a thread dump would have printed it. */
    void waitOnTop(LockAction a) {
        if (frames.isEmpty()) {
            beforeFrames.add(a);
            return;
        }
        Frame top = frames.get(0);
        List<LockAction> locks = new ArrayList<>();
        locks.add(a);
        locks.addAll(top.locks());
        frames.set(0, new Frame(top.method(), top.location(), locks));
    }

    /** A dump's threads, indexed in the order they were read. */
    static List<JvmThread> buildAll(List<ForeignThread> threads, String file) {
        List<JvmThread> built = new ArrayList<>(threads.size());
        for (ForeignThread t : threads) {
            built.add(t.build(built.size(), file));
        }
        return built;
    }

    JvmThread build(int index, String file) {
        endFrame();
        List<Frame> list = new ArrayList<>(frames);
        if (!beforeFrames.isEmpty()) {
            if (list.isEmpty()) {
                list.add(new Frame("", "", beforeFrames));
            } else {
                List<LockAction> top = new ArrayList<>(beforeFrames);
                top.addAll(list.get(0).locks());
                list.set(0, new Frame(list.get(0).method(), list.get(0).location(), top));
            }
        }
        return new JvmThread(index, name, javaId, Optional.ofNullable(nativeId), Optional.ofNullable(address), state, detail,
                daemon, false, Optional.empty(), list, owned.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(owned)),
                SourceRef.line(file, line), state != ThreadState.TERMINATED, cpuMicros, OptionalLong.empty());
    }

    /** "java/lang/Object" as "java.lang.Object": IBM and JRockit write class names with slashes. */
    static String dotted(String cls) {
        return cls.replace('/', '.');
    }

    /**
     * A frame as IBM and JRockit print it, made HotSpot's: slashes to dots, JNI signatures
     * ({@code run()V}, {@code ([Ljava/lang/String;)I}) and JRockit's code addresses
     * ({@code @0x00CCC620}) left out, IBM's {@code (Compiled Code)} inside the location dropped.
     */
    static String frameText(String raw) {
        String t = raw.strip();
        if (t.startsWith("at ")) {
            t = t.substring(3);
        }
        int at = t.lastIndexOf(")@");
        if (at > 0) {
            t = t.substring(0, at + 1);
        }
        int open = t.indexOf('(');
        String method = open < 0 ? t : t.substring(0, open);
        String rest = open < 0 ? "" : t.substring(open);
        // JNI signature: "run()V(Unknown Source)" or "main([Ljava/lang/String;)V(Server.java:32)"
        if (rest.startsWith("(")) {
            int close = rest.indexOf(')');
            int second = close < 0 ? -1 : rest.indexOf('(', close);
            if (second > 0) {
                rest = rest.substring(second);
            }
        }
        rest = rest.replace("(Compiled Code)", "").replace("(Compiled code)", "");
        return dotted(method) + rest;
    }
}
