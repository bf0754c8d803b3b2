package io.lockscope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Writes a JFR recording of at least the given size: threads with deep stacks contending on
 * monitors and ReentrantLocks, sampled often, every lock event recorded (no threshold). Half of
 * the waits happen inside a synchronized method of the thread's own object, and each thread's
 * stack has its own depth, so the recording has many stacks that hold a monitor while they wait.
 * Usage: java -cp ... io.lockscope.bench.BigRecording OUT.jfr [MEGABYTES]
 */
public final class BigRecording {

    static final Object[] MONITORS = new Object[8];
    static final ReentrantLock[] LOCKS = new ReentrantLock[8];
    static final AtomicLong WORK = new AtomicLong();
    static volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        long target = (args.length > 1 ? Long.parseLong(args[1]) : 120) << 20;
        for (int i = 0; i < MONITORS.length; i++) {
            MONITORS[i] = new Object();
            LOCKS[i] = new ReentrantLock();
        }
        try (Recording r = new Recording(Configuration.getConfiguration("profile"))) {
            r.enable("jdk.JavaMonitorEnter").withThreshold(java.time.Duration.ZERO).withStackTrace();
            r.enable("jdk.ThreadPark").withThreshold(java.time.Duration.ZERO).withStackTrace();
            r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
            r.enable("jdk.JavaExceptionThrow").withStackTrace();
            r.setToDisk(true);
            r.start();
            Thread[] workers = new Thread[12];
            for (int t = 0; t < workers.length; t++) {
                int id = t;
                workers[t] = new Thread(() -> descend(id, 120 + id % 6), "bench-worker-" + t);
                workers[t].start();
            }
            long started = System.nanoTime();
            while (true) {
                Thread.sleep(2000);
                long size = sizeSoFar(r);
                System.err.printf("%.0f s: %,d bytes%n", (System.nanoTime() - started) / 1e9, size);
                if (size >= target) {
                    break;
                }
            }
            running = false;
            for (Thread w : workers) {
                w.join();
            }
            r.stop();
            r.dump(out);
        }
        System.out.printf("wrote %s: %,d bytes%n", out, Files.size(out));
    }

    /** How many bytes the recording holds so far: what dumping it now would write. */
    static long sizeSoFar(Recording r) throws java.io.IOException {
        Path probe = Files.createTempFile("lockscope-bench-probe", ".jfr");
        try {
            r.dump(probe);
            return Files.size(probe);
        } finally {
            Files.delete(probe);
        }
    }

    /** Recurse to a deep stack, then contend, every other round from inside a synchronized method. */
    static void descend(int id, int depth) {
        if (depth > 0) {
            descend(id, depth - 1);
            return;
        }
        Worker self = new Worker(id);
        long n = 0;
        while (running) {
            if (n % 2 == 0) {
                contend(id, n);
            } else {
                self.contendHolding(n);
            }
            n++;
        }
    }

    /** A thread's own object: its monitor is held, uncontended, while the thread waits for the shared locks. */
    static final class Worker {
        final int id;

        Worker(int id) {
            this.id = id;
        }

        synchronized void contendHolding(long n) {
            contend(id, n);
        }
    }

    static void contend(int id, long n) {
        Object m = MONITORS[(int) (n % MONITORS.length)];
        synchronized (m) {
            WORK.addAndGet(n);
            if (n % 7 == 0) {
                sleepNanos(50_000);
            }
        }
        ReentrantLock l = LOCKS[(int) ((n + id) % LOCKS.length)];
        l.lock();
        try {
            WORK.incrementAndGet();
            if (n % 5 == 0) {
                sleepNanos(30_000);
            }
        } finally {
            l.unlock();
        }
        if (n % 10_000 == 0) {
            try {
                throw new IllegalStateException("bench " + n);
            } catch (IllegalStateException e) {
                // recorded by jdk.JavaExceptionThrow
            }
        }
    }

    static void sleepNanos(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
    }
}
