package io.lockscope.rules;

import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockKind;
import io.lockscope.model.ThreadState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** What a thread's stack says it is doing: idle in a pool, sleeping, waiting, in I/O. */
final class Stacks {

    /** Config key for more frames that mean "idle, waiting for work". */
    static final String IDLE_FRAMES = "idle-frames";
    /** Config key for more frames that mean "blocked in I/O or another blocking call". */
    static final String BLOCKING_FRAMES = "blocking-frames";

    /**
     * Frames of a thread that is between tasks: a pool worker waiting for its next task, a timer
     * or scheduler waiting for the next tick. A prefix of the frame's method.
     */
    static final List<String> IDLE = List.of(
            "java.util.concurrent.ThreadPoolExecutor.getTask",
            "java.util.concurrent.ForkJoinPool.awaitWork",
            "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue.take",
            "java.util.TimerThread.mainLoop",
            "org.apache.tomcat.util.threads.TaskQueue.take",
            "org.apache.tomcat.util.threads.TaskQueue.poll",
            "io.netty.util.concurrent.SingleThreadEventExecutor.takeTask",
            "org.eclipse.jetty.util.thread.QueuedThreadPool.idleJobPoll",
            "org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.idleJobPoll");

    /** Top frames of a thread blocked in I/O or in a call that waits on the outside world. */
    static final List<String> BLOCKING = List.of(
            "java.net.SocketInputStream.socketRead",
            "java.net.SocketOutputStream.socketWrite",
            "java.net.PlainSocketImpl.socketAccept",
            "java.net.PlainSocketImpl.accept",
            "java.net.SocketInputStream.read",
            "sun.nio.ch.NioSocketImpl.park",
            "sun.nio.ch.NioSocketImpl.read",
            "sun.nio.ch.NioSocketImpl.timedRead",
            "sun.nio.ch.Net.poll",
            "sun.nio.ch.EPoll.wait",
            "sun.nio.ch.KQueue.poll",
            "sun.nio.ch.SocketDispatcher.read",
            "sun.nio.ch.FileDispatcherImpl.read",
            "sun.nio.ch.FileDispatcherImpl.write",
            "sun.nio.ch.IOUtil.read",
            "java.io.FileInputStream.read",
            "java.io.FileOutputStream.write",
            "java.io.RandomAccessFile.read",
            "java.lang.ProcessImpl.waitFor",
            "java.lang.ProcessHandleImpl.waitForProcessExit",
            "java.net.Inet6AddressImpl.lookupAllHostAddr",
            "java.net.Inet4AddressImpl.lookupAllHostAddr");

    /**
     * The JDK's code whose native methods do I/O or wait on the world outside the JVM: files, pipes,
     * sockets, file systems, processes, name lookups. A thread whose top frame is a native method of
     * it is in such a call, whatever each JDK names it (FileDispatcherImpl.write0 on JDK 17,
     * UnixFileDispatcherImpl.write0 from 20 on, RandomAccessFile.writeBytes, UnixNativeDispatcher.stat
     * on a hung network file system, ...). A prefix of the frame's class, with its dot.
     */
    static final List<String> NATIVE_IO = List.of("java.io.", "java.net.", "sun.nio.ch.", "sun.nio.fs.", "java.lang.ProcessImpl.",
            "java.lang.UNIXProcess.", "java.lang.ProcessHandleImpl.");

    /**
     * What such a native method does when it can wait: move data, open or close, sync, lock, seek,
     * look up, or wait. The others are quick and never wait on the world (a selector's wake-up,
     * EPollArrayWrapper.interrupt; an option, Net.setIntOption0), and a thread caught in one is
     * not blocked.
     */
    private static final Pattern NATIVE_IO_CALL = Pattern.compile(
            "(?i)read|write|recv|send|receive|accept|connect|poll|wait|select|open|close|force|sync|transfer|lock|seek|stat|lookup");

    private Stacks() {
    }

    static boolean matches(Frame f, List<String> prefixes) {
        for (String p : prefixes) {
            if (f.method().startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The idle frame the thread sits in, if it is idle: parked or waiting, under a pool's "wait for work". */
    static Optional<Frame> idleFrame(JvmThread t, List<String> extra) {
        if (t.state() != ThreadState.WAITING && t.state() != ThreadState.TIMED_WAITING) {
            return Optional.empty();
        }
        List<String> all = new ArrayList<>(IDLE);
        all.addAll(extra);
        return t.frames().stream().filter(f -> matches(f, all)).findFirst();
    }

    /** Methods of the JDK's queues that wait for the next element: a consumer waiting for work. */
    private static final Set<String> QUEUE_WAITS = Set.of("take", "poll", "takeFirst", "takeLast", "pollFirst", "pollLast",
            "transfer", "exchange");

    /** Frames of an event loop waiting for the next event. A prefix of the frame's method. */
    static final List<String> SELECT = List.of(
            "sun.nio.ch.SelectorImpl.select",
            "sun.nio.ch.SelectorImpl.lockAndDoSelect",
            "io.netty.channel.nio.NioEventLoop.select",
            "io.netty.channel.epoll.EpollEventLoop.epollWait");

    /**
     * The frame where a thread waits for work in a loop of its own: a JDK queue's take or poll
     * (any BlockingQueue, TransferQueue, SynchronousQueue, DelayQueue, a deque), an Exchanger, an
     * event loop's select, or a sleep; called straight from the thread's outermost frame of
     * application code, the loop itself. A lock it holds could still have been taken by that loop
     * method, so this is a likely leak only when no frame of the owner is in the code that its
     * waiters lock the lock from ({@code lockCallers}).
     */
    static Optional<Frame> ownLoopFrame(JvmThread t, Set<String> lockCallers) {
        List<Frame> frames = t.frames();
        int wait = -1;
        for (int i = 0; i < frames.size() && wait < 0; i++) {
            Frame f = frames.get(i);
            boolean queue = Frame.isJdkClass(f.className()) && f.className().startsWith("java.util.concurrent.")
                    && (isQueueClass(f.className()) || f.className().equals("java.util.concurrent.Exchanger"))
                    && QUEUE_WAITS.contains(f.methodName());
            boolean select = matches(f, SELECT);
            boolean sleep = f.method().startsWith("java.lang.Thread.sleep");
            if ((queue && t.state() != ThreadState.RUNNABLE) || (select && t.state() == ThreadState.RUNNABLE)
                    || (sleep && t.state() == ThreadState.TIMED_WAITING)) {
                wait = i;
            }
        }
        if (wait < 0) {
            return Optional.empty();
        }
        int caller = -1;
        for (int i = wait + 1; i < frames.size(); i++) {
            String c = frames.get(i).className();
            if (!Frame.isJdkClass(c)) {
                caller = i;
                break;
            }
        }
        if (caller < 0) {
            return Optional.empty();
        }
        for (int i = caller + 1; i < frames.size(); i++) {
            String c = frames.get(i).className();
            if (!Frame.isJdkClass(c) && !c.contains("$$Lambda")) {
                return Optional.empty(); // application code below the loop: the lock may be held by it
            }
        }
        for (Frame f : frames) {
            if (lockCallers.contains(f.className())) {
                return Optional.empty();
            }
        }
        return Optional.of(frames.get(wait));
    }

    private static boolean isQueueClass(String cls) {
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        int dollar = simple.indexOf('$');
        String outer = dollar < 0 ? simple : simple.substring(0, dollar);
        return outer.endsWith("Queue") || outer.endsWith("Deque");
    }

    /**
     * What blocking call a thread sits in, described for a person, if any: sleeping, waiting on a
     * monitor other than {@code heldLock}, parked on a condition or a latch, or in I/O. A thread
     * that waits for a lock with an owner is not "blocking" here: that is a chain of waits, which
     * the deadlock and contention rules follow.
     */
    static Optional<String> blockingCall(JvmThread t, String heldLock, List<String> extraBlocking) {
        List<Frame> frames = t.frames();
        if (frames.isEmpty()) {
            return Optional.empty();
        }
        for (Frame f : frames.subList(0, Math.min(frames.size(), 8))) {
            for (LockAction a : f.locks()) {
                switch (a.kind()) {
                    case WAITING_ON -> {
                        if (!a.lock().id().equals(heldLock)) {
                            return Optional.of("waits in Object.wait() on " + a.lock());
                        }
                    }
                    case PARKING -> {
                        LockKind kind = LockKind.ofParkBlocker(a.lock().className());
                        if (kind == LockKind.STAMPED || a.lock().className().startsWith("java.util.concurrent.Semaphore")) {
                            // a StampedLock or a Semaphore is a lock whose holders no dump names: a wait for them
                            return Optional.empty();
                        }
                        if (!kind.hasOwner()) {
                            return Optional.of("is parked on " + a.lock() + " (" + callerOfPark(t) + ")");
                        }
                        return Optional.empty();
                    }
                    case WAITING_TO_LOCK, WAITING_TO_RELOCK, WAITING_FOR_CLASS_INIT -> {
                        return Optional.empty();
                    }
                    default -> {
                    }
                }
            }
        }
        // JRockit's own frames (jrockit.vm.Locks, Threads) sit above the Java method they serve
        Frame top = frames.stream().filter(f -> !f.className().startsWith("jrockit.vm.")).findFirst().orElse(frames.get(0));
        if (top.method().startsWith("java.lang.Thread.sleep")) {
            return Optional.of("sleeps in " + callerOf(t, "java.lang.Thread.sleep"));
        }
        List<String> blocking = new ArrayList<>(BLOCKING);
        blocking.addAll(extraBlocking);
        for (Frame f : frames.subList(0, Math.min(frames.size(), 4))) {
            if (matches(f, blocking)) {
                return Optional.of("is blocked in " + f.method() + " (" + callerOf(t, f.method()) + ")");
            }
        }
        if (top.isNative() && NATIVE_IO.stream().anyMatch(p -> top.method().startsWith(p))
                && NATIVE_IO_CALL.matcher(top.methodName()).find()) {
            return Optional.of("is blocked in " + top.method() + " (" + callerOf(t, top.method()) + ")");
        }
        return Optional.empty();
    }

    /** The first frame below those whose method starts with {@code prefix}: who called sleep, park, read. */
    private static String callerOf(JvmThread t, String prefix) {
        boolean inside = false;
        for (Frame f : t.frames()) {
            if (f.method().startsWith(prefix) || f.method().startsWith("java.lang.Thread.sleep")) {
                inside = true;
            } else if (inside && f.isApplication()) {
                return f.text();
            }
        }
        return t.frames().get(0).text();
    }

    private static String callerOfPark(JvmThread t) {
        for (Frame f : t.frames()) {
            String c = f.className();
            if (!c.startsWith("jdk.internal.misc.") && !c.startsWith("sun.misc.Unsafe")
                    && !c.startsWith("java.util.concurrent.locks.")) {
                return f.text();
            }
        }
        return t.frames().get(0).text();
    }

    /** The thread's stack as lines for the report, lock lines included. */
    static List<String> lines(JvmThread t, int maxFrames) {
        return Deadlock.stackOf(t, maxFrames);
    }
}
