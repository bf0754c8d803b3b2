package io.lockscope.analyzer;

import io.lockscope.analyzer.input.Discovery;
import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.analyzer.input.InputReader;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
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
 * Nothing a file contains can make the run wait for ever.
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
        GuardedRead r = new GuardedRead(spill);
        if (deadline.unlimited()) {
            r.reports = InputReader.readAll(c.path(), c.display(), r::snapshot, r::recording, progress);
            return r;
        }
        long size;
        try {
            size = Files.size(c.path());
        } catch (java.io.IOException | RuntimeException e) {
            size = 0;
        }
        Duration allowed = deadline.forSize(size);
        FutureTask<List<InputReport>> task = new FutureTask<>(() -> InputReader.readAll(c.path(), c.display(), r::snapshot, r::recording,
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
            r.reports = List.of(new InputReport(c.display(), InputFormat.UNKNOWN, r.keptAny() ? InputStatus.PARTIAL : InputStatus.FAILED,
                    "gave up after " + allowed.toSeconds() + " s without reaching its end (--input-timeout)"
                            + (r.keptAny() ? "; kept the " + r.snapshots.size() + " dumps read before" : ""),
                    r.snapshots.size(), size));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.close();
            task.cancel(true);
            throw new CancellationException("interrupted while reading " + c.display());
        } catch (ExecutionException e) {
            // InputReader never throws for bad input; this is a bug, reported against the file
            r.close();
            Throwable cause = e.getCause();
            r.reports = List.of(new InputReport(c.display(), InputFormat.UNKNOWN, r.keptAny() ? InputStatus.PARTIAL : InputStatus.FAILED,
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
