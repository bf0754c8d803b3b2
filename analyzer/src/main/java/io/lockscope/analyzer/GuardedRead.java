package io.lockscope.analyzer;

import io.lockscope.analyzer.input.Discovery;
import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.analyzer.input.InputReader;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.analyzer.input.PipeSpool;
import io.lockscope.engine.Words;
import io.lockscope.model.Recording;
import io.lockscope.model.Snapshot;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One input read on a thread of its own, under its {@link InputDeadline}. When the deadline
 * passes, the reader is interrupted and cut off from the run (whatever it hands on later is
 * dropped), the dumps it handed on before are kept, and the input is reported as given up on.
 * Nothing a file contains can make the run wait for ever. A pipe is copied first ({@link PipeSpool})
 * in half the input's time, and what it gave by then is read in the rest.
 */
final class GuardedRead {

    private final List<Snapshot> snapshots = new ArrayList<>();
    private final io.lockscope.analyzer.store.SnapshotSpill spill;
    private final List<Recording> recordings = new ArrayList<>();
    private List<InputReport> reports = List.of();
    private boolean open = true;

    private GuardedRead(io.lockscope.analyzer.store.SnapshotSpill spill) {
        this.spill = spill;
    }

    static GuardedRead of(Discovery.Candidate c, InputDeadline deadline, io.lockscope.analyzer.store.SnapshotSpill spill,
            InputReader.Progress progress) {
        if (!PipeSpool.isPipe(c.path())) {
            long size;
            try {
                size = Files.size(c.path());
            } catch (java.io.IOException | RuntimeException e) {
                size = 0;
            }
            return of(c.path(), c.display(), size, deadline.unlimited() ? null : deadline.forSize(size), spill, progress);
        }
        java.util.Optional<String> device = PipeSpool.device(c.path());
        if (device.isPresent()) {
            return unread(spill, c.display(), InputStatus.SKIPPED, device.get());
        }
        // a pipe: copied first, in half the time an input has, then read in what is left of it
        long started = System.nanoTime();
        PipeSpool.Spooled pipe;
        try {
            pipe = PipeSpool.copy(c.path(), deadline.unlimited() ? Duration.ZERO : deadline.forSize(0).dividedBy(2),
                    deadline.bytesPerSecond(), bytes -> progress.at(0, bytes, 0));
        } catch (java.io.IOException | RuntimeException e) {
            return unread(spill, c.display(), InputStatus.FAILED, "cannot read: " + e.getMessage());
        }
        try {
            Duration left = deadline.unlimited() ? null
                    : deadline.forSize(pipe.bytes()).minusNanos(System.nanoTime() - started);
            GuardedRead r = of(pipe.file(), c.display(), pipe.bytes(),
                    left == null ? null : left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left, spill, progress);
            if (!pipe.ended()) {
                r.reports = stoppedEarly(r.reports, pipe);
            }
            return r;
        } finally {
            try {
                Files.deleteIfExists(pipe.file());
            } catch (java.io.IOException e) {
                // the run's temporary folder goes at its end
            }
        }
    }

    /** An input of which nothing was read, and why. */
    private static GuardedRead unread(io.lockscope.analyzer.store.SnapshotSpill spill, String display, InputStatus status, String why) {
        GuardedRead r = new GuardedRead(spill);
        r.reports = List.of(new InputReport(display, InputFormat.UNKNOWN, status, why, 0, 0));
        return r;
    }

    /** The input's report, its copy stopped before the pipe ended: what was read is all there is, and it says where. */
    private static List<InputReport> stoppedEarly(List<InputReport> reports, PipeSpool.Spooled pipe) {
        List<InputReport> out = new ArrayList<>(reports);
        InputReport first = out.get(0);
        out.set(0, new InputReport(first.path(), first.format(), first.status() == InputStatus.READ ? InputStatus.PARTIAL : first.status(),
                first.message() + "; read up to byte " + pipe.bytes() + ", where the copy of the pipe stopped: " + pipe.stopped(),
                first.snapshots(), first.bytes()));
        return out;
    }

    /** Reads {@code path} under {@code allowed} (null: no limit). */
    private static GuardedRead of(java.nio.file.Path path, String display, long size, Duration allowed,
            io.lockscope.analyzer.store.SnapshotSpill spill, InputReader.Progress progress) {
        GuardedRead r = new GuardedRead(spill);
        if (allowed == null) {
            r.reports = InputReader.readAll(path, display, r::snapshot, r::recording, progress);
            return r;
        }
        FutureTask<List<InputReport>> task = new FutureTask<>(() -> InputReader.readAll(path, display, r::snapshot, r::recording,
                (pass, position, total) -> {
                    r.checkOpen();
                    progress.at(pass, position, total);
                }));
        Thread t = new Thread(task, "lockscope-read");
        t.setDaemon(true);
        t.start();
        try {
            r.reports = task.get(allowed.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            r.close();
            task.cancel(true);
            r.reports = List.of(new InputReport(display, InputFormat.UNKNOWN, r.keptAny() ? InputStatus.PARTIAL : InputStatus.FAILED,
                    "gave up after " + allowed.toSeconds() + " s without reaching its end (--input-timeout)"
                            + (r.keptAny() ? "; kept the " + Words.count(r.snapshots.size(), "dump") + " read before" : ""),
                    r.snapshots.size(), size));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.close();
            task.cancel(true);
            throw new CancellationException("interrupted while reading " + display);
        } catch (ExecutionException e) {
            // InputReader never throws for bad input; this is a bug, reported against the file
            r.close();
            Throwable cause = e.getCause();
            r.reports = List.of(new InputReport(display, InputFormat.UNKNOWN, r.keptAny() ? InputStatus.PARTIAL : InputStatus.FAILED,
                    "could not be read: " + cause, r.snapshots.size(), size));
        }
        return r;
    }

    private synchronized void snapshot(Snapshot s) {
        checkOpen();
        snapshots.add(spill.keep(s));
    }

    private synchronized void recording(Recording rec) {
        checkOpen();
        recordings.add(rec);
    }

    private synchronized void checkOpen() {
        if (!open) {
            throw new CancellationException("gave up on this input");
        }
    }

    private synchronized void close() {
        open = false;
    }

    private synchronized boolean keptAny() {
        return !snapshots.isEmpty() || !recordings.isEmpty();
    }

    synchronized List<InputReport> reports() {
        return reports;
    }

    synchronized List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    synchronized List<Recording> recordings() {
        return List.copyOf(recordings);
    }
}
