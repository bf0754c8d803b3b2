package io.lockscope.analyzer.threaddump;

import io.lockscope.model.JvmHints;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import io.lockscope.model.Visibility;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes Android's ART thread dumps, as ANR traces, {@code ApplicationExitInfo} and bug report
 * tools keep them: each {@code ----- pid N at DATE -----} to {@code ----- end N -----} block is a
 * process, a JVM of its own. Threads ({@code "main" prio=5 tid=1 Blocked}) carry ART's thread
 * number, which other threads' {@code held by thread N} name; their stacks have HotSpot's lock
 * lines. A block of native backtraces only ({@code "name" sysTid=N}, {@code #00 pc ...}) gives
 * threads without Java frames; the kernel's "Waiting Channels" block, when it is all there is of a
 * process, gives its threads by id and what they sleep in.
 */
final class AnrDecoder {

    private static final Pattern PROCESS = Pattern.compile("^----- (Waiting Channels: )?pid (\\d+) at (.*?) -----$");
    private static final Pattern END = Pattern.compile("^----- end (\\d+) -----$");
    private static final Pattern HEADER = Pattern.compile("^\"(.*)\"( daemon)? prio=(\\d+) tid=(\\d+) (\\S+)(.*)$");
    /** A native thread the runtime lists without a Java thread: "binder:10348_3" prio=5 (not attached) */
    private static final Pattern NOT_ATTACHED = Pattern.compile("^\"(.*)\"( daemon)? prio=(\\d+) \\(not attached\\)$");
    private static final Pattern NATIVE_HEADER = Pattern.compile("^\"(.*)\" sysTid=(\\d+)$");
    private static final Pattern CHANNEL = Pattern.compile("^sysTid=(\\d+)\\s+state=(\\S+)\\s+(.*)$");
    private static final Pattern SYS_TID = Pattern.compile("sysTid=(\\d+)");
    private static final Pattern HELD_BY = Pattern.compile(" held by thread (\\d+)$");
    private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS]xx");
    private static final DateTimeFormatter PLAIN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String file;
    private final SnapshotSink sink;
    private boolean inProcess;
    private boolean channels;
    private long pid;
    private long processLine;
    private Optional<Instant> time = Optional.empty();
    private String cmdLine;
    private String build;
    private final List<ForeignThread> threads = new ArrayList<>();
    private final Map<String, ForeignThread> byTid = new HashMap<>();
    /** A lock a waiter's line says is "held by thread N": N is the owner's tid in this process. */
    private record HeldBy(String ownerTid, LockRef lock) {
    }

    private final List<HeldBy> heldBy = new ArrayList<>();
    private ForeignThread thread;
    private final Map<Long, Boolean> managedPids = new HashMap<>();
    private final List<Snapshot> channelOnly = new ArrayList<>();
    private int dumps;
    private long lastLine;
    private boolean openAtEnd;

    AnrDecoder(String file, SnapshotSink sink) {
        this.file = file;
        this.sink = sink;
    }

    int decode(LineSource lines) throws IOException {
        lines.forEach((raw, n) -> {
            lastLine = n;
            line(raw.strip(), n);
        });
        openAtEnd = inProcess && !threads.isEmpty();
        finishProcess();
        // the waiting channels of a process that has no Java threads in the file stand for it
        for (Snapshot s : channelOnly) {
            if (!managedPids.containsKey(s.jvm().pid().orElse(-1))) {
                dumps++;
                sink.accept(s);
                managedPids.put(s.jvm().pid().orElse(-1), true);
            }
        }
        return dumps;
    }

    String cutShort() {
        return openAtEnd ? "the process block stops at line " + lastLine + " without its \"----- end\" line: cut short" : "";
    }

    private void line(String line, long n) {
        Matcher p = PROCESS.matcher(line);
        if (p.matches()) {
            finishProcess();
            inProcess = true;
            channels = p.group(1) != null;
            pid = Long.parseLong(p.group(2));
            processLine = n;
            time = parseTime(p.group(3));
            cmdLine = null;
            return;
        }
        if (!inProcess) {
            return;
        }
        if (END.matcher(line).matches()) {
            finishProcess();
            return;
        }
        if (line.startsWith("Cmd line: ")) {
            cmdLine = line.substring(10).strip();
            return;
        }
        if (line.startsWith("Build fingerprint: ")) {
            build = line.substring(19).replace("'", "").strip();
            return;
        }
        if (channels) {
            Matcher c = CHANNEL.matcher(line);
            if (c.matches()) {
                ForeignThread t = new ForeignThread("sysTid " + c.group(1), n);
                t.nativeId = c.group(1);
                t.state = c.group(2).equals("R") ? ThreadState.RUNNABLE : ThreadState.UNKNOWN;
                t.detail = "state " + c.group(2) + ", waiting channel " + c.group(3).strip();
                threads.add(t);
            }
            return;
        }
        Matcher h = HEADER.matcher(line);
        if (h.matches()) {
            startThread(h.group(1), n);
            thread.daemon = h.group(2) != null;
            byTid.put(h.group(4), thread);
            thread.detail = (h.group(5) + h.group(6)).strip();
            thread.state = state(h.group(5));
            return;
        }
        Matcher na = NOT_ATTACHED.matcher(line);
        if (na.matches()) {
            startThread(na.group(1), n);
            thread.detail = "not attached to the runtime";
            thread.state = ThreadState.RUNNABLE;
            return;
        }
        Matcher nh = NATIVE_HEADER.matcher(line);
        if (nh.matches()) {
            startThread(nh.group(1), n);
            thread.nativeId = nh.group(2);
            thread.detail = "native backtrace only";
            return;
        }
        if (thread == null) {
            return;
        }
        if (line.startsWith("| sysTid=")) {
            Matcher m = SYS_TID.matcher(line);
            if (m.find()) {
                thread.nativeId = m.group(1);
            }
        } else if (line.startsWith("at ")) {
            thread.frame(line.substring(3));
        } else if (line.startsWith("- ")) {
            lockLine(line, n);
        }
    }

    private void lockLine(String line, long n) {
        LockAction.Kind kind;
        if (line.startsWith("- waiting to lock ")) {
            kind = LockAction.Kind.WAITING_TO_LOCK;
        } else if (line.startsWith("- locked ")) {
            kind = LockAction.Kind.LOCKED;
        } else if (line.startsWith("- waiting on ")) {
            kind = LockAction.Kind.WAITING_ON;
        } else {
            return; // "- sleeping on <...>": Thread.sleep's own lock, which it waits on, not for
        }
        Matcher held = HELD_BY.matcher(line);
        String text = held.find() ? line.substring(0, held.start()) : line;
        LockRef lock = DumpLines.parseLockRef(text, 2);
        if (lock == null) {
            return;
        }
        thread.lock(new LockAction(kind, lock, SourceRef.line(file, n)));
        if (kind == LockAction.Kind.WAITING_TO_LOCK && held.find(0)) {
            heldBy.add(new HeldBy(held.group(1), lock));
        }
    }

    private void startThread(String name, long n) {
        if (thread != null) {
            thread.endFrame();
        }
        thread = new ForeignThread(name, n);
        threads.add(thread);
    }

    private void finishProcess() {
        if (!inProcess) {
            return;
        }
        if (thread != null) {
            thread.endFrame();
        }
        inProcess = false;
        thread = null;
        if (!threads.isEmpty()) {
            // "held by thread 5": thread 5 holds it, whether or not its own stack shows it
            for (HeldBy h : heldBy) {
                ForeignThread owner = byTid.get(h.ownerTid());
                if (owner != null) {
                    owner.owns(h.lock());
                }
            }
            List<JvmThread> built = ForeignThread.buildAll(threads, file);
            String label = file + "#pid-" + pid + (channels ? "-waiting-channels" : "");
            String vm = "Android ART" + (cmdLine != null ? " (" + cmdLine + ")" : "") + (build != null ? " " + build : "");
            Snapshot s = new Snapshot(label, "anr", SourceRef.line(file, processLine), time,
                    new JvmHints(OptionalLong.of(pid), Optional.of(vm), Optional.empty()), built,
                    channels ? Visibility.NOT_SHOWN : Visibility.SHOWN, Visibility.NOT_SHOWN, List.of(), List.of());
            if (channels) {
                channelOnly.add(s);
            } else {
                dumps++;
                managedPids.put(pid, true);
                sink.accept(s);
            }
        }
        threads.clear();
        byTid.clear();
        heldBy.clear();
    }

    /** ART's thread states, as Thread.State would name them. */
    private static ThreadState state(String art) {
        String s = art.toLowerCase(Locale.ROOT);
        if (s.equals("blocked")) {
            return ThreadState.BLOCKED;
        }
        if (s.equals("sleeping") || s.equals("timedwaiting")) {
            return ThreadState.TIMED_WAITING;
        }
        if (s.startsWith("waiting")) {
            return ThreadState.WAITING;
        }
        if (s.equals("terminated") || s.equals("zombie")) {
            return ThreadState.TERMINATED;
        }
        return ThreadState.RUNNABLE; // Runnable, Native, Suspended, Starting, ...
    }

    private static Optional<Instant> parseTime(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text, ZONED).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(java.time.LocalDateTime.parse(text, PLAIN).toInstant(java.time.ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
