import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Puts this JVM into a known lock state, prints "READY" (or "READY n" for each phase of a
 * scenario that wants several dumps), and waits to be dumped and killed by capture.sh.
 *
 * Run: java Scenario.java NAME [ARG]. Runs on JDK 17 and later, from source, with no build.
 * Every thread that matters has a name that tells its part, so a report can be checked by eye.
 */
public class Scenario {

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        switch (name) {
            case "monitor-deadlock" -> monitorDeadlock();
            case "reentrantlock-deadlock" -> reentrantLockDeadlock();
            case "mixed-deadlock" -> mixedDeadlock();
            case "healthy-busy" -> healthyBusy();
            case "dead-owner" -> deadOwner();
            case "swapped-field" -> swappedField();
            case "sleep-holding" -> sleepHolding();
            case "lock-order" -> lockOrder();
            case "half-ring" -> halfRing(args.length > 1 ? args[1] : "A");
            case "contention" -> contention();
            case "class-init-deadlock" -> classInitDeadlock();
            case "hostile-names" -> hostileNames();
            case "read-lock-held" -> readLockHeld();
            case "dead-reader" -> deadReader();
            case "self-relock" -> selfRelock();
            case "read-write-deadlock" -> readWriteDeadlock();
            case "hot-monitor" -> hotMonitor();
            case "pinned-virtual" -> pinnedVirtual();
            case "opposite-order" -> oppositeOrder();
            case "pinned-carriers" -> pinnedCarriers();
            case "deep-holder" -> deepHolder();
            case "control-names" -> controlNames();
            case "queue-consumer" -> queueConsumer();
            case "swapped-busy" -> swappedBusy();
            case "stamped-permits" -> stampedPermits();
            case "three-kinds" -> threeKinds();
            case "late-death" -> lateDeath();
            case "fair-turns" -> fairTurns();
            case "busy-holder" -> busyHolder();
            case "shared-catalog" -> sharedCatalog();
            case "pool-churn" -> poolChurn();
            case "queued-deadlock" -> queuedDeadlock();
            case "stalled-appender" -> stalledAppender();
            case "waiting-holder" -> waitingHolder();
            case "handler-churn" -> handlerChurn();
            default -> {
                System.err.println("usage: java Scenario.java NAME; names: monitor-deadlock reentrantlock-deadlock "
                        + "mixed-deadlock healthy-busy dead-owner swapped-field sleep-holding lock-order half-ring contention "
                        + "class-init-deadlock hostile-names read-lock-held dead-reader self-relock read-write-deadlock hot-monitor pinned-virtual "
                        + "opposite-order pinned-carriers deep-holder control-names queue-consumer swapped-busy stamped-permits three-kinds "
                        + "late-death fair-turns busy-holder shared-catalog pool-churn queued-deadlock stalled-appender waiting-holder handler-churn");
                System.exit(2);
            }
        }
        Thread.sleep(TimeUnit.MINUTES.toMillis(10)); // capture.sh kills us long before this
    }

    static void ready() {
        System.out.println("READY");
        System.out.flush();
    }

    static void ready(int phase) {
        System.out.println("READY " + phase);
        System.out.flush();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.start();
        return t;
    }

    // ---- deadlocks -------------------------------------------------------------------------

    /** Three threads on three monitors: stocker -> auditor -> closer -> stocker. */
    static void monitorDeadlock() throws InterruptedException {
        Object inventory = new Inventory();
        Object ledger = new Ledger();
        Object register = new Register();
        CountDownLatch allHold = new CountDownLatch(3);
        start("stocker", () -> nested(inventory, ledger, allHold));
        start("auditor", () -> nested(ledger, register, allHold));
        start("closer", () -> nested(register, inventory, allHold));
        allHold.await();
        sleep(500);
        ready();
    }

    static final class Inventory { }

    static final class Ledger { }

    static final class Register { }

    static void nested(Object first, Object second, CountDownLatch allHold) {
        synchronized (first) {
            allHold.countDown();
            awaitQuietly(allHold);
            synchronized (second) {
                sleep(1);
            }
        }
    }

    /** Two threads on two ReentrantLocks, each holding one and wanting the other. */
    static void reentrantLockDeadlock() throws InterruptedException {
        ReentrantLock accountA = new ReentrantLock();
        ReentrantLock accountB = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        start("transfer-a-to-b", () -> nestedLocks(accountA, accountB, bothHold));
        start("transfer-b-to-a", () -> nestedLocks(accountB, accountA, bothHold));
        bothHold.await();
        sleep(500);
        ready();
    }

    static void nestedLocks(ReentrantLock first, ReentrantLock second, CountDownLatch bothHold) {
        first.lock();
        try {
            bothHold.countDown();
            awaitQuietly(bothHold);
            second.lock();
            second.unlock();
        } finally {
            first.unlock();
        }
    }

    /** A monitor and a ReentrantLock: cache-loader holds the monitor, cache-evictor the lock. */
    static void mixedDeadlock() throws InterruptedException {
        Object cacheMonitor = new CacheIndex();
        ReentrantLock segmentLock = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        start("cache-loader", () -> {
            synchronized (cacheMonitor) {
                bothHold.countDown();
                awaitQuietly(bothHold);
                segmentLock.lock();
                segmentLock.unlock();
            }
        });
        start("cache-evictor", () -> {
            segmentLock.lock();
            try {
                bothHold.countDown();
                awaitQuietly(bothHold);
                synchronized (cacheMonitor) {
                    sleep(1);
                }
            } finally {
                segmentLock.unlock();
            }
        });
        bothHold.await();
        sleep(500);
        ready();
    }

    static final class CacheIndex { }

    /**
     * A ring of two ReentrantLocks (ledger-writer and journal-flusher) with a thread queued behind
     * each side: report-runner, started before the ring, waits for the ledger lock, and
     * audit-reader, started after it, for the journal lock. HotSpot walks its threads in the order
     * they started, so its report begins at report-runner, which is not in the ring: the chain it
     * prints ends on a thread in its middle.
     */
    static void queuedDeadlock() throws InterruptedException {
        ReentrantLock ledger = new ReentrantLock();
        ReentrantLock journal = new ReentrantLock();
        CountDownLatch ringHolds = new CountDownLatch(2);
        start("report-runner", () -> {
            awaitQuietly(ringHolds);
            ledger.lock();
            ledger.unlock();
        });
        sleep(50);
        start("ledger-writer", () -> nestedLocks(ledger, journal, ringHolds));
        start("journal-flusher", () -> nestedLocks(journal, ledger, ringHolds));
        ringHolds.await();
        start("audit-reader", () -> {
            journal.lock();
            journal.unlock();
        });
        sleep(500);
        ready();
    }

    /**
     * Class initialization across two threads: init-first runs First's static initializer, which
     * needs Second; init-second runs Second's, which needs First. HotSpot does not report it.
     */
    static void classInitDeadlock() throws InterruptedException {
        start("init-first", First::touch);
        start("init-second", Second::touch);
        sleep(1500);
        ready();
    }

    static final class First {
        static {
            sleep(300);
            Second.touch();
        }

        static void touch() { }
    }

    static final class Second {
        static {
            sleep(300);
            First.touch();
        }

        static void touch() { }
    }

    /**
     * A monitor deadlock between threads whose names are markup, for the report's escaping: a
     * name from a dump must show as text, never run.
     */
    /**
     * A ReentrantLock deadlock between threads whose names carry what a terminal or a viewer acts
     * on: escape sequences (clear the screen, retitle the window, an OSC 8 hyperlink), a
     * right-to-left override, and Markdown link syntax. The dumps print the names as they are.
     */
    static void controlNames() throws InterruptedException {
        ReentrantLock ledger = new ReentrantLock();
        ReentrantLock journal = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        start("poller\u001b[2J\u001b]0;owned\u0007-\u001b]8;;https://example.invalid/\u0007link\u001b]8;;\u0007",
                () -> nestedLocks(ledger, journal, bothHold));
        start("flusher-\u202egpj.exe-[click](javascript:alert(1))", () -> nestedLocks(journal, ledger, bothHold));
        bothHold.await();
        sleep(500);
        ready();
    }

    static void hostileNames() throws InterruptedException {
        Object first = new Object();
        Object second = new Object();
        CountDownLatch bothHold = new CountDownLatch(2);
        start("<img src=x onerror=alert(1)>", () -> nested(first, second, bothHold));
        start("\"><script>alert('lockscope')</script>", () -> nested(second, first, bothHold));
        bothHold.await();
        sleep(500);
        ready();
    }

    // ---- a healthy application -------------------------------------------------------------

    /** A pool doing work through short critical sections, a queue, a timer: nothing wrong. */
    static void healthyBusy() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4, named("order-worker"));
        BlockingQueue<Long> queue = new LinkedBlockingQueue<>(1000);
        Object stats = new Stats();
        ReentrantLock cacheLock = new ReentrantLock();
        AtomicLong done = new AtomicLong();
        for (int i = 0; i < 4; i++) {
            pool.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    long x = 0;
                    for (int k = 0; k < 20_000; k++) {
                        x += ThreadLocalRandom.current().nextInt(10);
                    }
                    synchronized (stats) {
                        done.incrementAndGet();
                    }
                    cacheLock.lock();
                    try {
                        x ^= done.get();
                    } finally {
                        cacheLock.unlock();
                    }
                    queue.offer(x);
                }
            });
        }
        start("order-consumer", () -> {
            while (true) {
                try {
                    queue.take();
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Executors.newSingleThreadScheduledExecutor(named("metrics-timer"))
                .scheduleAtFixedRate(() -> done.get(), 0, 100, TimeUnit.MILLISECONDS);
        Executors.newFixedThreadPool(2, named("idle-pool")).submit(() -> { });
        sleep(1500);
        ready();
    }

    static final class Stats { }

    // ---- locks whose owner is gone or idle -------------------------------------------------

    /**
     * A pool thread takes a ReentrantLock and its task throws before unlock: the worker dies
     * (the pool starts another), the lock stays held by a thread that no longer exists, and
     * three threads wait for it forever.
     */
    static void deadOwner() throws InterruptedException {
        ReentrantLock ingestLock = new ReentrantLock();
        ExecutorService pool = Executors.newFixedThreadPool(1, named("ingest-worker"));
        CountDownLatch taken = new CountDownLatch(1);
        pool.execute(() -> {
            ingestLock.lock();
            taken.countDown();
            throw new IllegalStateException("malformed record"); // no finally: the lock is never released
        });
        taken.await();
        sleep(300);
        for (int i = 1; i <= 3; i++) {
            start("batch-writer-" + i, () -> {
                ingestLock.lock();
                ingestLock.unlock();
            });
        }
        sleep(800);
        ready();
    }

    /**
     * The owner is seen alive before it dies, in a JVM dumped twice. Phase 1: three
     * "settlement-N" threads take a ReentrantLock in turn, and "reconciler", a plain long-lived
     * thread, waits for its cue. Phase 2: the reconciler takes the lock and throws before it
     * unlocks; it dies, and the settlement threads wait for the lock forever. Only the second dump
     * shows the orphan, and only the first shows the thread that left it.
     */
    static void lateDeath() throws InterruptedException {
        ReentrantLock settleLock = new ReentrantLock();
        CountDownLatch cue = new CountDownLatch(1);
        for (int i = 1; i <= 3; i++) {
            start("settlement-" + i, () -> {
                while (true) {
                    settleLock.lock();
                    try {
                        sleep(1);
                    } finally {
                        settleLock.unlock();
                    }
                    sleep(250);
                }
            });
        }
        start("reconciler", () -> {
            awaitQuietly(cue);
            settleLock.lock();
            throw new IllegalStateException("ledger out of balance"); // no finally: the lock is never released
        });
        sleep(500);
        ready(1);
        sleep(3000);
        cue.countDown();
        sleep(800);
        ready(2);
    }

    /**
     * The field holding a lock is reassigned while the lock is held: the unlock goes to the new
     * lock and throws IllegalMonitorStateException, the old lock stays held by a live pool thread
     * that has gone back to waiting for work, and the threads that took the old lock wait forever.
     */
    static void swappedField() throws InterruptedException {
        Account account = new Account();
        ExecutorService pool = Executors.newFixedThreadPool(1, named("account-pool"));
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch waitersQueued = new CountDownLatch(1);
        // submit, not execute: the Future swallows the exception and the worker goes back to the
        // pool's queue, alive and still holding the old lock
        pool.submit(() -> account.rebalance(locked, waitersQueued));
        locked.await();
        for (int i = 1; i <= 2; i++) {
            start("statement-" + i, () -> account.read());
        }
        sleep(500);
        waitersQueued.countDown();
        sleep(800);
        ready();
    }

    static final class Account {
        ReentrantLock lock = new ReentrantLock();

        void rebalance(CountDownLatch locked, CountDownLatch waitersQueued) {
            lock.lock();
            try {
                locked.countDown();
                awaitQuietly(waitersQueued);
                lock = new ReentrantLock(); // the bug: the lock this thread holds is no longer in the field
            } finally {
                lock.unlock(); // IllegalMonitorStateException: this thread does not hold the new lock
            }
        }

        void read() {
            ReentrantLock l = lock;
            l.lock();
            l.unlock();
        }
    }

    /**
     * A live reader sleeps with the read lock of a ReentrantReadWriteLock while a writer waits: no
     * thread dump shows readers, so the lock looks ownerless.
     */
    static void readLockHeld() throws InterruptedException {
        java.util.concurrent.locks.ReentrantReadWriteLock config = new java.util.concurrent.locks.ReentrantReadWriteLock();
        CountDownLatch reading = new CountDownLatch(1);
        start("config-reader", () -> {
            config.readLock().lock();
            try {
                reading.countDown();
                sleep(TimeUnit.MINUTES.toMillis(10));
            } finally {
                config.readLock().unlock();
            }
        });
        reading.await();
        start("config-writer", () -> {
            config.writeLock().lock();
            config.writeLock().unlock();
        });
        sleep(800);
        ready();
    }

    /** A reader takes the read lock and its thread ends without unlocking; a writer waits forever. */
    static void deadReader() throws InterruptedException {
        java.util.concurrent.locks.ReentrantReadWriteLock catalog = new java.util.concurrent.locks.ReentrantReadWriteLock();
        Thread reader = start("catalog-reader", () -> catalog.readLock().lock()); // ends holding the read lock
        reader.join();
        start("catalog-writer", () -> {
            catalog.writeLock().lock();
            catalog.writeLock().unlock();
        });
        sleep(800);
        ready();
    }

    /**
     * A non-reentrant lock, written by hand on AbstractQueuedSynchronizer, taken a second time by
     * the thread that holds it: the thread waits for itself, forever.
     */
    static void selfRelock() throws InterruptedException {
        SimpleMutex mutex = new SimpleMutex();
        start("index-rebuilder", () -> {
            mutex.lock();
            try {
                mutex.lock(); // a helper that "also needs the lock"
            } finally {
                mutex.unlock();
            }
        });
        sleep(800);
        ready();
    }

    /** The textbook mutex of AbstractQueuedSynchronizer's javadoc: exclusive, not reentrant. */
    static final class SimpleMutex {
        private static final class Sync extends java.util.concurrent.locks.AbstractQueuedSynchronizer {
            @Override
            protected boolean tryAcquire(int ignored) {
                if (compareAndSetState(0, 1)) {
                    setExclusiveOwnerThread(Thread.currentThread());
                    return true;
                }
                return false;
            }

            @Override
            protected boolean tryRelease(int ignored) {
                setExclusiveOwnerThread(null);
                setState(0);
                return true;
            }
        }

        private final Sync sync = new Sync();

        void lock() {
            sync.acquire(1);
        }

        void unlock() {
            sync.release(1);
        }
    }

    /** A thread sleeps inside a synchronized block while three request threads wait for it. */
    static void sleepHolding() throws InterruptedException {
        Object reportCache = new ReportCache();
        CountDownLatch holding = new CountDownLatch(1);
        start("report-generator", () -> {
            synchronized (reportCache) {
                holding.countDown();
                sleep(TimeUnit.MINUTES.toMillis(10));
            }
        });
        holding.await();
        for (int i = 1; i <= 3; i++) {
            start("request-" + i, () -> {
                synchronized (reportCache) {
                    sleep(1);
                }
            });
        }
        sleep(800);
        ready();
    }

    static final class ReportCache { }

    /**
     * Two holders wait for a signal that never comes while they hold what others need. settings-loader
     * holds the SettingsRegistry monitor and waits on another monitor, a ReloadSignal (Object.wait()
     * releases that one only), while three settings-reader threads block entering the registry;
     * cache-refresher holds a ReentrantLock and waits on a CountDownLatch that nobody counts down,
     * while two cache-reader threads are parked for the lock.
     */
    static void waitingHolder() throws InterruptedException {
        Object registry = new SettingsRegistry();
        Object signal = new ReloadSignal();
        ReentrantLock cacheLock = new ReentrantLock();
        CountDownLatch refilled = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(2);
        start("settings-loader", () -> {
            synchronized (registry) {
                synchronized (signal) {
                    holding.countDown();
                    try {
                        signal.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        start("cache-refresher", () -> {
            cacheLock.lock();
            try {
                holding.countDown();
                awaitQuietly(refilled);
            } finally {
                cacheLock.unlock();
            }
        });
        holding.await();
        for (int i = 1; i <= 3; i++) {
            start("settings-reader-" + i, () -> {
                synchronized (registry) {
                    sleep(1);
                }
            });
        }
        for (int i = 1; i <= 2; i++) {
            start("cache-reader-" + i, () -> {
                cacheLock.lock();
                cacheLock.unlock();
            });
        }
        sleep(800);
        ready();
    }

    static final class SettingsRegistry { }

    /**
     * Healthy and hot: twelve rpc-handler threads take one monitor in turn without pause, each
     * holding it for a third of a millisecond, so that its owner changes thousands of times a second,
     * as a busy server's region lock does. A dump that asks for one thread at a time sees the
     * waiters name different owners.
     */
    static void handlerChurn() {
        Object regionLock = new RegionLock();
        for (int i = 1; i <= 12; i++) {
            start("rpc-handler-" + i, () -> {
                while (true) {
                    synchronized (regionLock) {
                        long end = System.nanoTime() + 300_000;
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                    }
                }
            });
        }
        sleep(500);
        ready();
    }

    static final class RegionLock { }

    static final class ReloadSignal { }

    /**
     * Two log appenders stall in a write while they hold their locks, as on a full disk or a hung
     * network file system: each writes to a pipe that nobody reads, until the pipe is full.
     * file-appender holds its monitor in RandomAccessFile's write, channel-appender holds a
     * ReentrantLock in FileChannel's; two request threads wait for each lock.
     */
    static void stalledAppender() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("lockscope-appender");
        java.nio.file.Path fileLog = dir.resolve("file.log");
        java.nio.file.Path channelLog = dir.resolve("channel.log");
        for (java.nio.file.Path fifo : java.util.List.of(fileLog, channelLog)) {
            if (new ProcessBuilder("/usr/bin/mkfifo", fifo.toString()).start().waitFor() != 0) {
                throw new IllegalStateException("mkfifo " + fifo);
            }
        }
        Object fileAppender = new FileAppender();
        ReentrantLock channelAppender = new ReentrantLock();
        CountDownLatch holding = new CountDownLatch(2);
        byte[] line = "2026-12-07 15:00:00 INFO order accepted\n".repeat(100).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        start("file-appender", () -> {
            synchronized (fileAppender) {
                // read and write: opening a pipe so does not wait for a reader, and nobody reads it
                try (java.io.RandomAccessFile out = new java.io.RandomAccessFile(fileLog.toFile(), "rw")) {
                    holding.countDown();
                    while (true) {
                        out.write(line);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        start("channel-appender", () -> {
            channelAppender.lock();
            try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(channelLog,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                holding.countDown();
                while (true) {
                    out.write(java.nio.ByteBuffer.wrap(line));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                channelAppender.unlock();
            }
        });
        holding.await();
        // both pipes are open: their names can go, and nothing is left behind when the JVM is killed
        java.nio.file.Files.delete(fileLog);
        java.nio.file.Files.delete(channelLog);
        java.nio.file.Files.delete(dir);
        for (int i = 1; i <= 2; i++) {
            start("request-" + i, () -> {
                synchronized (fileAppender) {
                    sleep(1);
                }
            });
            start("checkout-" + i, () -> {
                channelAppender.lock();
                channelAppender.unlock();
            });
        }
        sleep(800);
        ready();
    }

    static final class FileAppender { }

    /**
     * A thread computes inside a synchronized block, in a loop that never ends (as a bug makes one),
     * while two threads wait for the monitor. Unlike a sleeping holder it uses CPU all the while,
     * and its loop calls nothing, so each dump catches it on the same line.
     */
    static void busyHolder() throws InterruptedException {
        Object priceIndex = new PriceIndex();
        CountDownLatch holding = new CountDownLatch(1);
        start("index-rebuilder", () -> {
            synchronized (priceIndex) {
                holding.countDown();
                long x = 1;
                while (!rebuilt) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                }
                System.out.println(x);
            }
        });
        holding.await();
        for (int i = 1; i <= 2; i++) {
            start("quote-" + i, () -> {
                synchronized (priceIndex) {
                    sleep(1);
                }
            });
        }
        sleep(800);
        ready();
    }

    /** Never set: the rebuild never ends. */
    static boolean rebuilt;

    static final class PriceIndex { }

    /** Twelve threads blocked on one monitor whose owner is busy computing. */
    static void contention() throws InterruptedException {
        Object sessionTable = new SessionTable();
        CountDownLatch holding = new CountDownLatch(1);
        start("session-sweeper", () -> {
            synchronized (sessionTable) {
                holding.countDown();
                long x = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    x += ThreadLocalRandom.current().nextInt(3);
                }
                System.out.println(x);
            }
        });
        holding.await();
        for (int i = 1; i <= 12; i++) {
            start("http-handler-" + i, () -> {
                synchronized (sessionTable) {
                    sleep(1);
                }
            });
        }
        sleep(800);
        ready();
    }

    static final class SessionTable { }

    /**
     * The same two monitors taken in opposite orders, at different times, so that no deadlock
     * happens yet: phase 1 "transfer-debit" holds Ledger then Journal; phase 2 "transfer-credit"
     * holds Journal then Ledger. Each phase is dumped on its own.
     */
    static void lockOrder() throws InterruptedException {
        Object ledger = new Ledger();
        Object journal = new Journal();
        CountDownLatch phase1 = new CountDownLatch(1);
        CountDownLatch phase1Done = new CountDownLatch(1);
        Thread debit = start("transfer-debit", () -> {
            synchronized (ledger) {
                synchronized (journal) {
                    phase1.countDown();
                    sleep(3000);
                }
            }
            phase1Done.countDown();
        });
        phase1.await();
        sleep(300);
        ready(1);
        phase1Done.await();
        debit.join();
        CountDownLatch phase2 = new CountDownLatch(1);
        start("transfer-credit", () -> {
            synchronized (journal) {
                synchronized (ledger) {
                    phase2.countDown();
                    sleep(TimeUnit.MINUTES.toMillis(10));
                }
            }
        });
        phase2.await();
        sleep(300);
        ready(2);
    }

    static final class Journal { }

    /**
     * Half of a ring, in one of two JVMs with the same thread names. In JVM A, "alpha" holds
     * Left and waits for Right, held by a sleeping "beta". In JVM B, "beta" holds Right and waits
     * for Left, held by a sleeping "alpha". Merged by thread names, the two would look like a
     * deadlock; each JVM on its own has none.
     */
    static void halfRing(String side) throws InterruptedException {
        Object left = new Left();
        Object right = new Right();
        boolean a = side.equals("A");
        Object mine = a ? left : right;
        Object theirs = a ? right : left;
        CountDownLatch held = new CountDownLatch(1);
        start(a ? "beta" : "alpha", () -> {
            synchronized (theirs) {
                held.countDown();
                sleep(TimeUnit.MINUTES.toMillis(10));
            }
        });
        held.await();
        start(a ? "alpha" : "beta", () -> {
            synchronized (mine) {
                synchronized (theirs) {
                    sleep(1);
                }
            }
        });
        sleep(800);
        ready();
    }

    static final class Left { }

    static final class Right { }

    /**
     * A deadlock that a read lock closes: "price-reader" holds the read lock of a
     * ReentrantReadWriteLock and wants the ReentrantLock that "price-updater" holds, while
     * price-updater waits for the write lock. No thread dump shows the reader's hold; a heap dump does.
     */
    static void readWriteDeadlock() throws InterruptedException {
        java.util.concurrent.locks.ReentrantReadWriteLock prices = new java.util.concurrent.locks.ReentrantReadWriteLock();
        ReentrantLock auditLog = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        start("price-reader", () -> {
            prices.readLock().lock();
            try {
                bothHold.countDown();
                awaitQuietly(bothHold);
                auditLog.lock();
                auditLog.unlock();
            } finally {
                prices.readLock().unlock();
            }
        });
        start("price-updater", () -> {
            auditLog.lock();
            try {
                bothHold.countDown();
                awaitQuietly(bothHold);
                prices.writeLock().lock();
                prices.writeLock().unlock();
            } finally {
                auditLog.unlock();
            }
        });
        bothHold.await();
        sleep(800);
        ready();
    }

    /**
     * Healthy, and between owners all the time: three "teller-N" threads take turns on a fair
     * ReentrantLock, working inside and outside it. At each unlock the lock goes to the thread
     * that waited longest, which must be woken and scheduled first; meanwhile nobody owns it and
     * the others wait, and a dump taken then shows waiters and no owner.
     */
    static void fairTurns() throws InterruptedException {
        ReentrantLock counter = new ReentrantLock(true);
        for (int i = 1; i <= 3; i++) {
            start("teller-" + i, () -> {
                long served = 0;
                while (served >= 0) {
                    counter.lock();
                    try {
                        served += work(3000);
                    } finally {
                        counter.unlock();
                    }
                    served += work(1000);
                }
            });
        }
        sleep(1000);
        ready();
    }

    /**
     * Healthy, with two locks used from one method's lambdas: "browser-N" threads read a catalog
     * under a ReentrantReadWriteLock's read lock, "curator" sometimes writes it, and "cashier-N"
     * threads take turns on a fair ReentrantLock. Dumped without -l, which names no owner of either
     * lock, a reader or cashier waits now and then, and every waiter's code is in one class.
     */
    static void sharedCatalog() throws InterruptedException {
        java.util.concurrent.locks.ReentrantReadWriteLock catalog = new java.util.concurrent.locks.ReentrantReadWriteLock();
        ReentrantLock till = new ReentrantLock(true);
        for (int i = 1; i <= 2; i++) {
            start("browser-" + i, () -> {
                long seen = 0;
                while (seen >= 0) {
                    catalog.readLock().lock();
                    try {
                        seen += work(2000);
                    } finally {
                        catalog.readLock().unlock();
                    }
                }
            });
        }
        start("curator", () -> {
            long edits = 0;
            while (edits >= 0) {
                catalog.writeLock().lock();
                try {
                    edits += work(1000);
                } finally {
                    catalog.writeLock().unlock();
                }
                sleep(5);
            }
        });
        for (int i = 1; i <= 2; i++) {
            start("cashier-" + i, () -> {
                long sold = 0;
                while (sold >= 0) {
                    till.lock();
                    try {
                        sold += work(2000);
                    } finally {
                        till.unlock();
                    }
                }
            });
        }
        sleep(1000);
        ready();
    }

    /**
     * Healthy, and threads die all the time: a "dispatcher" hands bursts of jobs to a pool that
     * keeps no idle thread past 10 ms, so its "job-N" workers end and new ones start (a JDK up to 18
     * numbers each new thread, so the ids shown have gaps). Each job takes a fair ReentrantLock for
     * a moment, passes a Semaphore of two permits, and puts a result on a bounded queue that a
     * "mailer" drains; between bursts the mailer waits on the queue's Condition, not on its lock.
     * When the pool is full the dispatcher runs the job itself. A dump taken as the fair lock goes
     * from one job to the next shows it with a waiter and no owner, and jobs a few milliseconds
     * old already past it.
     */
    static void poolChurn() throws InterruptedException {
        ReentrantLock ledger = new ReentrantLock(true);
        java.util.concurrent.Semaphore gateway = new java.util.concurrent.Semaphore(2);
        BlockingQueue<Long> outbox = new java.util.concurrent.ArrayBlockingQueue<>(16);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, 4, 10, TimeUnit.MILLISECONDS,
                new java.util.concurrent.SynchronousQueue<>(), named("job"), new ThreadPoolExecutor.CallerRunsPolicy());
        start("mailer", () -> {
            long sent = 0;
            while (sent >= 0) {
                try {
                    sent += outbox.take();
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        start("dispatcher", () -> {
            while (true) {
                for (int i = 0; i < 8; i++) {
                    pool.execute(() -> {
                        long x;
                        ledger.lock();
                        try {
                            x = work(400_000);
                        } finally {
                            ledger.unlock();
                        }
                        gateway.acquireUninterruptibly();
                        try {
                            x += work(400_000);
                        } finally {
                            gateway.release();
                        }
                        try {
                            outbox.put(x);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
                sleep(20);
            }
        });
        sleep(1000);
        ready();
    }

    /** Some arithmetic no compiler can skip; never negative. */
    static long work(int steps) {
        long x = 0;
        for (int k = 0; k < steps; k++) {
            x += ThreadLocalRandom.current().nextInt(10);
        }
        return x;
    }

    /**
     * Eight threads take turns on one monitor, each holding it for 30 ms: every entry waits, and
     * each wait ends, so a recording sees the contention add up (a thread dump sees one instant).
     */
    static void hotMonitor() throws InterruptedException {
        Object priceTable = new PriceTable();
        long until = System.currentTimeMillis() + 3000;
        for (int i = 1; i <= 8; i++) {
            start("quote-worker-" + i, () -> {
                while (System.currentTimeMillis() < until) {
                    synchronized (priceTable) {
                        sleep(30);
                    }
                }
            });
        }
        sleep(3200);
        ready();
    }

    static final class PriceTable { }

    /**
     * Two synchronized methods that call each other's object in opposite orders, in two phases
     * that never overlap, so the JVM never deadlocks: first "order-reserve" holds a Stock
     * (Stock.reserve) and blocks entering Accounts.record while a clerk holds the accounts; then
     * "accounts-audit" holds the Accounts (Accounts.audit) and blocks entering Stock.count while a
     * stock-taker holds the stock. A recording sees both waits, with their stacks.
     */
    static void oppositeOrder() throws InterruptedException {
        Stock stock = new Stock();
        Accounts accounts = new Accounts();
        Thread reserve = start("order-reserve", () -> {
            for (int i = 0; i < 12; i++) {
                stock.reserve(accounts);
            }
        });
        Thread clerk = start("accounts-clerk", () -> holdInBursts(accounts, reserve));
        reserve.join();
        clerk.join();
        Thread audit = start("accounts-audit", () -> {
            for (int i = 0; i < 12; i++) {
                accounts.audit(stock);
            }
        });
        Thread stockTaker = start("stock-taker", () -> holdInBursts(stock, audit));
        audit.join();
        stockTaker.join();
        ready();
    }

    /** Holds a monitor 60 ms at a time, with short gaps, while another thread is alive. */
    static void holdInBursts(Object monitor, Thread whileAlive) {
        while (whileAlive.isAlive()) {
            synchronized (monitor) {
                sleep(60);
            }
            sleep(2);
        }
    }

    static final class Stock {
        private int reserved;

        synchronized void reserve(Accounts accounts) {
            reserved++;
            accounts.record(reserved);
        }

        synchronized int count() {
            return reserved;
        }
    }

    static final class Accounts {
        private long entries;

        synchronized void record(int amount) {
            entries += amount;
            sleep(5);
        }

        synchronized void audit(Stock stock) {
            entries -= stock.count();
            sleep(5);
        }
    }

    /**
     * Virtual threads that block inside a class initializer: a virtual thread cannot leave its
     * carrier while it runs a static initializer, so each block pins a carrier (JDK 21+). Started
     * through reflection, so this file still compiles on JDK 17.
     */
    /**
     * A monitor taken deep down a stack: "report-compiler" locks the catalog, renders a dozen
     * levels further down and sleeps there, while two readers block on the catalog. The lock line
     * is past the eighth frame from the top, where ThreadInfo.toString() stops printing.
     */
    static void deepHolder() throws InterruptedException {
        Catalog catalog = new Catalog();
        start("report-compiler", () -> catalog.compile(12));
        sleep(200);
        for (int i = 1; i <= 2; i++) {
            start("catalog-reader-" + i, catalog::entries);
        }
        sleep(300);
        ready();
    }

    static final class Catalog {
        synchronized void compile(int depth) {
            render(depth);
        }

        void render(int depth) {
            if (depth > 0) {
                render(depth - 1);
            } else {
                sleep(600_000);
            }
        }

        synchronized int entries() {
            return 0;
        }
    }

    /**
     * Virtual threads that hold every carrier while they block (JDK 21+): the scheduler gets two
     * carriers; two virtual threads block in a class initializer, one running it (it sleeps) and
     * one waiting for it, which keeps both mounted; four more are started and wait for a carrier
     * that never comes free. Nothing is deadlocked; the application has simply stopped.
     */
    static void pinnedCarriers() throws Exception {
        // read when the first virtual thread makes the scheduler
        System.setProperty("jdk.virtualThreadScheduler.parallelism", "2");
        System.setProperty("jdk.virtualThreadScheduler.maxPoolSize", "2");
        Class<?> builderType = Class.forName("java.lang.Thread$Builder");
        java.lang.reflect.Method name = builderType.getMethod("name", String.class);
        java.lang.reflect.Method start = builderType.getMethod("start", Runnable.class);
        Object ofVirtual = Thread.class.getMethod("ofVirtual").invoke(null);
        for (int i = 0; i < 2; i++) {
            start.invoke(name.invoke(ofVirtual, "rate-loader-" + i), (Runnable) RateCard::touch);
            sleep(200);
        }
        for (int i = 0; i < 4; i++) {
            start.invoke(name.invoke(ofVirtual, "request-" + i), (Runnable) () -> sleep(10));
        }
        sleep(500);
        ready();
    }

    static final class RateCard {
        static {
            sleep(600_000); // "loading the rates": while it runs, its class cannot be used
        }

        static void touch() {
        }
    }

    static void pinnedVirtual() throws Exception {
        Runnable[] tasks = {Tariffs::touch, Currencies::touch, Holidays::touch, Regions::touch};
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        java.lang.reflect.Method startVirtual = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        for (Runnable task : tasks) {
            startVirtual.invoke(builder, task);
        }
        sleep(1500);
        ready();
    }

    static final class Tariffs {
        static {
            sleep(200);
        }

        static void touch() { }
    }

    static final class Currencies {
        static {
            sleep(200);
        }

        static void touch() { }
    }

    static final class Holidays {
        static {
            sleep(200);
        }

        static void touch() { }
    }

    static final class Regions {
        static {
            sleep(200);
        }

        static void touch() { }
    }

    // ---- shapes other programs have ---------------------------------------------------------

    /**
     * Two owners leak a lock and go back to waiting for work of their own, in no pool: a consumer
     * that loops on its own TransferQueue, whose handler threw between lock() and an unlock() that
     * was not in a finally block; and an event loop, asleep in Selector.select(), that took a write
     * lock while reconfiguring and returned early without releasing it. Threads wait for both.
     */
    static void queueConsumer() throws Exception {
        java.util.concurrent.LinkedTransferQueue<String> orders = new java.util.concurrent.LinkedTransferQueue<>();
        StockLevels inventory = new StockLevels();
        CountDownLatch handled = new CountDownLatch(1);
        start("order-consumer", () -> {
            while (true) {
                String order;
                try {
                    order = orders.take();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    inventory.reserve(order);
                } catch (IllegalArgumentException e) {
                    // logged and skipped: the consumer takes the next order
                }
                handled.countDown();
            }
        });
        orders.put("order-without-sku");
        handled.await();
        RoutingTable routes = new RoutingTable();
        CountDownLatch reloaded = new CountDownLatch(1);
        start("selector-loop", () -> {
            try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
                routes.reload(true);
                reloaded.countDown();
                while (true) {
                    selector.select();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        reloaded.await();
        for (int i = 1; i <= 2; i++) {
            start("stock-check-" + i, inventory::count);
        }
        start("route-lookup", routes::lookup);
        sleep(800);
        ready();
    }

    static final class StockLevels {
        private final ReentrantLock lock = new ReentrantLock();
        private int reserved;

        void reserve(String order) {
            lock.lock();
            if (!order.contains("sku=")) {
                throw new IllegalArgumentException("no sku in " + order); // the bug: unlock() is not in a finally block
            }
            reserved++;
            lock.unlock();
        }

        int count() {
            lock.lock();
            try {
                return reserved;
            } finally {
                lock.unlock();
            }
        }
    }

    static final class RoutingTable {
        private final java.util.concurrent.locks.ReentrantReadWriteLock lock = new java.util.concurrent.locks.ReentrantReadWriteLock();

        void reload(boolean partial) {
            lock.writeLock().lock();
            if (partial) {
                return; // the bug: an early return that skips the unlock
            }
            lock.writeLock().unlock();
        }

        void lookup() {
            lock.readLock().lock();
            lock.readLock().unlock();
        }
    }

    /**
     * The swapped field again, in a thread that is not idle: "till-writer" locks the till's
     * lock, replaces the field, catches the IllegalMonitorStateException of its own unlock() and
     * goes on to a flush loop of its own, sleeping between flushes. Its frames never show the lock
     * again; the heap dump (no field holds the lock) and the recording (the exception, from
     * unlock()) prove the leak. A reader that died with an exception while holding the read lock
     * of another lock, and a writer waiting for it, are in the same JVM.
     */
    static void swappedBusy() throws InterruptedException {
        Till till = new Till();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch readersQueued = new CountDownLatch(1);
        start("till-writer", () -> {
            try {
                till.rotate(locked, readersQueued);
            } catch (IllegalMonitorStateException e) {
                // logged as "unlock failed" and ignored
            }
            Till.flushLoop();
        });
        locked.await();
        for (int i = 1; i <= 2; i++) {
            start("till-reader-" + i, till::balance);
        }
        sleep(500);
        readersQueued.countDown();
        java.util.concurrent.locks.ReentrantReadWriteLock index = new java.util.concurrent.locks.ReentrantReadWriteLock();
        Thread reader = start("index-scan", () -> {
            index.readLock().lock();
            throw new IllegalStateException("index page checksum mismatch"); // dies holding the read lock
        });
        reader.join();
        start("index-writer", () -> {
            index.writeLock().lock();
            index.writeLock().unlock();
        });
        sleep(800);
        ready();
    }

    static final class Till {
        private ReentrantLock lock = new ReentrantLock();
        private long balance;

        void rotate(CountDownLatch locked, CountDownLatch readersQueued) {
            lock.lock();
            try {
                locked.countDown();
                awaitQuietly(readersQueued);
                balance = 0;
                lock = new ReentrantLock(); // the bug: the lock this thread holds is no longer in the field
            } finally {
                lock.unlock(); // IllegalMonitorStateException: not the lock it took
            }
        }

        long balance() {
            ReentrantLock l = lock;
            l.lock();
            try {
                return balance;
            } finally {
                l.unlock();
            }
        }

        static void flushLoop() {
            while (true) {
                sleep(200);
            }
        }
    }

    /**
     * Threads that hold a monitor and wait for a lock no dump names an owner of: a StampedLock's
     * write lock, wanted while readers hold read stamps, and a Semaphore whose permits are all
     * taken. Both are waits for a lock (a chain a person follows), not a blocking call.
     */
    static void stampedPermits() throws InterruptedException {
        java.util.concurrent.locks.StampedLock catalog = new java.util.concurrent.locks.StampedLock();
        Object catalogIndex = new CatalogIndex();
        CountDownLatch stamped = new CountDownLatch(1);
        start("catalog-reader", () -> {
            long stamp = catalog.readLock();
            try {
                stamped.countDown();
                sleep(TimeUnit.MINUTES.toMillis(10));
            } finally {
                catalog.unlockRead(stamp);
            }
        });
        stamped.await();
        start("catalog-writer", () -> {
            synchronized (catalogIndex) {
                long stamp = catalog.writeLock();
                catalog.unlockWrite(stamp);
            }
        });
        sleep(300);
        start("catalog-client", () -> {
            synchronized (catalogIndex) {
                catalogIndex.hashCode();
            }
        });
        java.util.concurrent.Semaphore connections = new java.util.concurrent.Semaphore(1);
        Object pool = new ConnectionPool();
        CountDownLatch taken = new CountDownLatch(1);
        start("connection-user", () -> {
            connections.acquireUninterruptibly();
            try {
                taken.countDown();
                sleep(TimeUnit.MINUTES.toMillis(10));
            } finally {
                connections.release();
            }
        });
        taken.await();
        start("connection-opener", () -> {
            synchronized (pool) {
                connections.acquireUninterruptibly();
                connections.release();
            }
        });
        sleep(300);
        start("connection-client", () -> {
            synchronized (pool) {
                pool.hashCode();
            }
        });
        sleep(800);
        ready();
    }

    static final class CatalogIndex { }

    static final class ConnectionPool { }

    /**
     * A deadlock of three threads through three kinds of lock, each kept by a class of its own:
     * "pricing" holds Pricing's ReentrantLock and wants the Quotes monitor; "quoting" holds that
     * monitor and wants Book's write lock; "booking" holds Book's read lock and wants Pricing's
     * lock. A dump without owners of java.util.concurrent locks (JSON, or Thread.print without -l)
     * shows one owner of the three.
     */
    static void threeKinds() throws InterruptedException {
        Book book = new Book();
        Quotes quotes = new Quotes(book);
        Pricing pricing = new Pricing(quotes);
        CountDownLatch allHold = new CountDownLatch(3);
        start("pricing", () -> pricing.reprice(allHold));
        start("quoting", () -> quotes.refresh(allHold));
        start("booking", () -> book.scan(allHold, pricing));
        allHold.await();
        sleep(800);
        ready();
    }

    static final class Pricing {
        private final ReentrantLock lock = new ReentrantLock();
        private final Quotes quotes;

        Pricing(Quotes quotes) {
            this.quotes = quotes;
        }

        void reprice(CountDownLatch allHold) {
            lock.lock();
            try {
                allHold.countDown();
                awaitQuietly(allHold);
                quotes.latest();
            } finally {
                lock.unlock();
            }
        }

        long price() {
            lock.lock();
            try {
                return 42;
            } finally {
                lock.unlock();
            }
        }
    }

    static final class Quotes {
        private final Book book;

        Quotes(Book book) {
            this.book = book;
        }

        synchronized void refresh(CountDownLatch allHold) {
            allHold.countDown();
            awaitQuietly(allHold);
            sleep(100);
            book.update();
        }

        synchronized long latest() {
            return 0;
        }
    }

    static final class Book {
        private final java.util.concurrent.locks.ReentrantReadWriteLock lock = new java.util.concurrent.locks.ReentrantReadWriteLock();

        void scan(CountDownLatch allHold, Pricing pricing) {
            lock.readLock().lock();
            try {
                allHold.countDown();
                awaitQuietly(allHold);
                sleep(200);
                pricing.price();
            } finally {
                lock.readLock().unlock();
            }
        }

        void update() {
            lock.writeLock().lock();
            lock.writeLock().unlock();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicLong n = new AtomicLong();
        return r -> new Thread(r, prefix + "-" + n.incrementAndGet());
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
