package io.lockscope.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Fills a heap with a realistic mix (linked records, strings, arrays, maps, thousands of locks, a
 * few threads holding and waiting for them, one owner that died) and dumps it.
 * Usage: java -Xmx6g -cp ... io.lockscope.bench.BigHeap OUT.hprof [GIGABYTES]
 */
public final class BigHeap {

    static final class Order {
        final long id;
        final String customer;
        final Order next;
        final int[] lines;
        final ReentrantLock lock;

        Order(long id, String customer, Order next, int[] lines, ReentrantLock lock) {
            this.id = id;
            this.customer = customer;
            this.next = next;
            this.lines = lines;
            this.lock = lock;
        }
    }

    static final List<Object> KEEP = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        double gigabytes = args.length > 1 ? Double.parseDouble(args[1]) : 3.2;
        long target = (long) (gigabytes * (1L << 30));
        ReentrantLock[] locks = new ReentrantLock[5000];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
        KEEP.add(locks);
        ReentrantReadWriteLock catalog = new ReentrantReadWriteLock();
        KEEP.add(catalog);
        long bytes = 0;
        Order chain = null;
        long n = 0;
        while (bytes < target) {
            for (int k = 0; k < 100_000; k++, n++) {
                chain = new Order(n, "customer-" + (n % 100_000), (n % 1000 == 0) ? null : chain, new int[(int) (n % 7) + 1],
                        locks[(int) (n % locks.length)]);
                if (n % 1000 == 999) {
                    KEEP.add(chain);
                }
                bytes += 24 + 48 + 16 + 4L * ((n % 7) + 1) + 40;
            }
            KEEP.add(new byte[4 << 20]);
            bytes += 4 << 20;
        }
        // threads in known lock states, as in an incident
        CountDownLatch ready = new CountDownLatch(1);
        Thread dying = new Thread(() -> locks[1].lock(), "bench-dead-owner");
        dying.start();
        dying.join();
        for (int i = 0; i < 8; i++) {
            int lock = i % 2;
            Thread t = new Thread(() -> {
                locks[lock].lock();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-worker-" + i);
            t.setDaemon(true);
            t.start();
        }
        Thread reader = new Thread(() -> {
            catalog.readLock().lock();
            ready.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-reader");
        reader.setDaemon(true);
        reader.start();
        ready.await();
        Thread.sleep(500);
        Files.deleteIfExists(out);
        HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        bean.dumpHeap(out.toString(), true);
        System.out.printf("wrote %s: %,d bytes, %,d orders%n", out, Files.size(out), n);
        System.exit(0);
    }
}
