package io.lockscope.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.management.ObjectName;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Writes what an incident responder collects from one JVM into a folder: a JFR recording of lock
 * contention of at least RECORDING_MB, then, with a heap of about HEAP_GB and THREADS threads
 * blocked, parked, waiting and sleeping on locks, DUMPS thread dumps a second apart (as
 * {@code jcmd PID Thread.print -l} writes them) and a heap dump.
 * Usage: java -Xmx{HEAP_GB+3}g -cp "$(bench/classpath.sh)" io.lockscope.bench.IncidentFolder DIR [HEAP_GB] [RECORDING_MB] [THREADS] [DUMPS]
 */
public final class IncidentFolder {

    static final List<Object> KEEP = new ArrayList<>();

    private IncidentFolder() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        double heapGb = args.length > 1 ? Double.parseDouble(args[1]) : 4;
        long recordingMb = args.length > 2 ? Long.parseLong(args[2]) : 200;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        int dumps = args.length > 4 ? Integer.parseInt(args[4]) : 10;

        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO).withStackTrace();
        recording.enable("jdk.ThreadPark").withThreshold(Duration.ZERO).withStackTrace();
        recording.setToDisk(true);
        recording.start();
        contendUntil(recording, recordingMb << 20);

        fillHeap(heapGb);
        startThreads(threads);
        long pid = ProcessHandle.current().pid();
        ObjectName dcmd = new ObjectName("com.sun.management:type=DiagnosticCommand");
        for (int i = 1; i <= dumps; i++) {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(dcmd, "threadPrint",
                    new Object[] {new String[] {"-l"}}, new String[] {String[].class.getName()});
            Files.writeString(dir.resolve(String.format("threads-%02d.txt", i)), pid + ":\n" + text);
            Thread.sleep(1000);
        }
        Path heap = dir.resolve("heap.hprof");
        Files.deleteIfExists(heap);
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(heap.toString(), true);
        recording.stop();
        recording.dump(dir.resolve("recording.jfr"));
        recording.close();
        System.out.printf("wrote %s: %d thread dumps of %d threads, heap %,d bytes, recording %,d bytes%n", dir, dumps,
                Thread.activeCount(), Files.size(heap), Files.size(dir.resolve("recording.jfr")));
        System.exit(0);
    }

    /** Threads contending on monitors and ReentrantLocks until the recording holds {@code target} bytes. */
    private static void contendUntil(Recording recording, long target) throws Exception {
        Object[] monitors = new Object[8];
        ReentrantLock[] locks = new ReentrantLock[8];
        for (int i = 0; i < monitors.length; i++) {
            monitors[i] = new Object();
            locks[i] = new ReentrantLock();
        }
        boolean[] running = {true};
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                for (long n = 0; running[0]; n++) {
                    synchronized (monitors[(int) (n % monitors.length)]) {
                        LockSupport.parkNanos(20_000);
                    }
                    ReentrantLock l = locks[(int) ((n + id) % locks.length)];
                    l.lock();
                    try {
                        LockSupport.parkNanos(10_000);
                    } finally {
                        l.unlock();
                    }
                }
            }, "contender-" + t);
            w.start();
            workers.add(w);
        }
        do {
            Thread.sleep(2000);
        } while (BigRecording.sizeSoFar(recording) < target);
        running[0] = false;
        for (Thread w : workers) {
            w.join();
        }
    }

    /** Linked records, strings and arrays up to about {@code gigabytes}, with locks among them. */
    private static void fillHeap(double gigabytes) {
        long target = (long) (gigabytes * (1L << 30));
        ReentrantLock[] locks = new ReentrantLock[5000];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
        KEEP.add(locks);
        Runtime rt = Runtime.getRuntime();
        Object[] chain = null;
        for (long n = 0; ; n++) {
            chain = new Object[] {"customer-" + (n % 100_000), n % 1000 == 0 ? null : chain, new int[(int) (n % 7) + 1],
                locks[(int) (n % locks.length)]};
            if (n % 1000 == 999) {
                KEEP.add(chain);
            }
            if (n % 100_000 == 99_999) {
                KEEP.add(new byte[4 << 20]);
                // everything made is kept: the heap in use is about what the dump will hold
                if (rt.totalMemory() - rt.freeMemory() >= target) {
                    System.gc();
                    if (rt.totalMemory() - rt.freeMemory() >= target) {
                        break;
                    }
                }
            }
        }
    }

    /**
     * {@code count} threads in the states an incident has: in groups of ten, one holds a monitor
     * and a ReentrantLock and sleeps, four block on the monitor, four park on the lock, one waits
     * in Object.wait() on a monitor of its own.
     */
    private static void startThreads(int count) throws InterruptedException {
        int groups = Math.max(1, count / 10);
        Object[] monitors = new Object[groups];
        ReentrantLock[] locks = new ReentrantLock[groups];
        CountDownLatch holding = new CountDownLatch(groups);
        for (int g = 0; g < groups; g++) {
            Object monitor = new Object();
            ReentrantLock lock = new ReentrantLock();
            monitors[g] = monitor;
            locks[g] = lock;
            daemon("holder-" + g, () -> {
                synchronized (monitor) {
                    lock.lock();
                    holding.countDown();
                    sleepForever();
                }
            });
        }
        KEEP.add(monitors);
        KEEP.add(locks);
        holding.await();
        int made = groups;
        for (int g = 0; made < count; g = (g + 1) % groups) {
            Object monitor = monitors[g];
            ReentrantLock lock = locks[g];
            for (int k = 0; k < 4 && made < count; k++, made++) {
                daemon("blocked-" + g + "-" + k, () -> {
                    synchronized (monitor) {
                        sleepForever();
                    }
                });
            }
            for (int k = 0; k < 4 && made < count; k++, made++) {
                daemon("parked-" + g + "-" + k, lock::lock);
            }
            if (made < count) {
                made++;
                Object own = new Object();
                daemon("waiting-" + g, () -> {
                    synchronized (own) {
                        try {
                            own.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
            }
        }
        Thread.sleep(2000);
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void sleepForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
