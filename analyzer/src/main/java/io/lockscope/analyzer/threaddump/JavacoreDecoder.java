package io.lockscope.analyzer.threaddump;

import io.lockscope.model.JvmHints;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.ReportedDeadlock;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import io.lockscope.model.Visibility;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes an IBM javacore, from the Classic VM of Java 1.4 to Eclipse OpenJ9 on JDK 21: one dump
 * per file, its lines tagged by section ({@code 3XMTHREADINFO}, {@code 4XESTACKTRACE}, ...).
 * Threads come from the THREADS section (three header layouts: J9's {@code J9VMThread:}, J9 2.4's
 * {@code TID:}, Classic's {@code (TID:..., sys_thread_t:...)}); what a thread waits for from its
 * {@code 3XMTHREADBLOCK} line and, before J9 printed that line, from the monitor pool's queues;
 * what it holds from {@code (entered lock: ...)} under its frames and from the monitor pool's
 * owners, flat locks included. A parked thread's "Owned by" names the owner of a
 * java.util.concurrent lock, which the owner's stack never shows. The VM's own monitors
 * ({@code 1LKREGMONDUMP}) are not Java locks and are passed over. J9's deadlock section
 * ({@code 1LKDEADLOCK}) is kept to compare with the graph's.
 */
final class JavacoreDecoder {

    private static final Pattern THREAD = Pattern.compile("^3XMTHREADINFO\\s+\"(.*)\" (?:J9VMThread:|TID:|\\(TID:)(.*)$");
    private static final Pattern FIELD = Pattern.compile("([A-Za-z0-9_/ ]+?):\\s*(0x[0-9A-Fa-f]+|[A-Za-z]+)");
    private static final Pattern OBJECT = Pattern.compile("([^\\s@]+)@(?:0x)?([0-9A-Fa-f]+)(?:/[0-9A-Fa-f]+)?");
    /** A thread as other lines name it: "name" (J9VMThread:0x..., ...) or "name" (0x...). */
    private static final Pattern THREAD_REF = Pattern.compile("\"(.*)\" \\((?:J9VMThread:)?(0x[0-9A-Fa-f]+)");
    private static final Pattern FLAT_IDENT = Pattern.compile("Flat locked by thread ident (0x[0-9A-Fa-f]+)");
    private static final Pattern FLAT_MON = Pattern.compile("^2LKFLATMON\\s+ident (0x[0-9A-Fa-f]+) \"(.*)\" \\((0x[0-9A-Fa-f]+)\\)");
    private static final Pattern PROCESS_ID = Pattern.compile("Process ID: (\\d+)");
    private static final Pattern JAVA_ID = Pattern.compile("getId:(0x[0-9A-Fa-f]+|\\d+)");
    private static final Pattern NATIVE_ID = Pattern.compile("native thread ID:(0x[0-9A-Fa-f]+)");
    private static final Pattern DATE_TEXT = Pattern.compile("(\\d{4}/\\d{2}/\\d{2} at \\d{2}:\\d{2}:\\d{2}(?::\\d{3})?)");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd 'at' HH:mm:ss[:SSS]");

    private final String file;
    private final SnapshotSink sink;
    private final List<ForeignThread> threads = new ArrayList<>();
    /** Every id a thread is named by (J9VMThread, TID, sys_thread_t, omrthread_t), normalized. */
    private final Map<String, ForeignThread> byRef = new HashMap<>();
    private final Map<String, String> flatIdents = new HashMap<>(); // ident -> thread ref
    private final List<Monitor> monitors = new ArrayList<>();
    private final List<OwnerClaim> claims = new ArrayList<>();
    private final List<ReportedDeadlock> deadlocks = new ArrayList<>();
    private ForeignThread thread;
    private Monitor monitor;
    private List<String> queue;
    private boolean systemMonitors;
    private boolean sawJ9;
    private boolean parkedOwners;
    private OptionalLong pid = OptionalLong.empty();
    private Optional<String> version = Optional.empty();
    private Optional<Instant> time = Optional.empty();
    private boolean timeIsUtc;
    private ReportedChain chain;
    /** 3LKDEADLOCKOWN: the thread on the next 2LKDEADLOCKTHR line owns the lock the one before waits for. */
    private boolean chainOwnerNext;
    private long chainLine;
    private boolean sawThreads;
    private long lastLine;
    private boolean sawEnd;

    /** A monitor of the pool: its object, its owner (a thread ref, or a flat-lock ident), its two queues. */
    private static final class Monitor {
        LockRef lock;
        String ownerRef;
        String ownerName;
        String flatIdent;
        final List<String> entering = new ArrayList<>();
        final List<String> notified = new ArrayList<>();
        long line;
    }

    /** "Parked on X Owned by Y" or "Blocked on X Owned by Y": Y holds X. */
    private record OwnerClaim(LockRef lock, String ownerRef, String ownerName, boolean monitor) {
    }

    JavacoreDecoder(String file, SnapshotSink sink) {
        this.file = file;
        this.sink = sink;
    }

    int decode(LineSource lines) throws IOException {
        lines.forEach((raw, n) -> {
            lastLine = n;
            line(raw, n);
        });
        return finish();
    }

    /** How the text shows it was cut short, empty if it does not. */
    String cutShort() {
        return sawThreads && !sawEnd ? "the javacore stops at line " + lastLine + " before its closing section (0SECTION       END"
                + " or the classes and native memory after the threads): cut short" : "";
    }

    private void line(String raw, long n) {
        String line = raw.strip();
        if (line.length() < 4) {
            return;
        }
        int space = 0;
        while (space < line.length() && !Character.isWhitespace(line.charAt(space))) {
            space++;
        }
        String tag = line.substring(0, space);
        String rest = line.substring(space).strip();
        if (tag.equals("0SECTION")) {
            endThread();
            if (sawThreads && !rest.startsWith("THREADS")) {
                sawEnd = true;
            }
            return;
        }
        switch (tag) {
            case "1TIDATETIMEUTC" -> {
                time = parseDate(rest);
                timeIsUtc = time.isPresent();
            }
            case "1TIDATETIME" -> {
                if (!timeIsUtc) {
                    time = parseDate(rest);
                }
            }
            case "1CIPROCESSID" -> {
                Matcher m = PROCESS_ID.matcher(rest);
                if (m.find()) {
                    pid = OptionalLong.of(Long.parseLong(m.group(1)));
                }
            }
            case "1CIJAVAVERSION" -> version = Optional.of("IBM " + rest.replaceAll("\\s+", " "));
            case "2XMFULLTHDDUMP" -> {
                if (version.isEmpty()) {
                    // Classic: "Full thread dump Classic VM (J2RE 1.4.0 IBM Windows 32 build cn140-20020902, native threads):"
                    version = Optional.of(rest.replaceFirst("^Full thread dump ", "").replaceFirst(":$", ""));
                }
            }
            case "1LKREGMONDUMP" -> systemMonitors = true;
            case "1LKMONPOOLDUMP", "1LKOBJMONDUMP", "1LKFLATMONDUMP", "1LKPOOLINFO" -> systemMonitors = false;
            case "2LKMONINUSE" -> {
                systemMonitors = false;
                monitor = new Monitor();
                monitor.line = n;
                monitors.add(monitor);
                queue = null;
            }
            case "3LKMONOBJECT" -> monitorObject(rest);
            case "2LKFLATLOCKED" -> {
                // Classic's object monitor dump: "java.io.BufferedInputStream@BC3FA8/BC3FB0", its owner on the next line
                monitor = new Monitor();
                monitor.line = n;
                monitor.lock = lockRef(rest);
                monitors.add(monitor);
                queue = null;
            }
            case "3LKFLATDETAILS" -> {
                Matcher m = FLAT_IDENT.matcher(rest);
                if (monitor != null && m.find()) {
                    monitor.flatIdent = m.group(1).toLowerCase();
                }
            }
            case "3LKWAITERQ" -> queue = !systemMonitors && monitor != null ? monitor.entering : null;
            case "3LKNOTIFYQ" -> queue = !systemMonitors && monitor != null ? monitor.notified : null;
            case "3LKWAITER", "3LKWAITNOTIFY" -> {
                Matcher m = THREAD_REF.matcher(rest);
                if (queue != null && m.find()) {
                    queue.add(norm(m.group(2)));
                }
            }
            case "2LKREGMON" -> {
                systemMonitors = true;
                queue = null;
            }
            case "2LKFLATMON" -> {
                Matcher m = FLAT_MON.matcher(line);
                if (m.find()) {
                    flatIdents.put(m.group(1).toLowerCase(), norm(m.group(3)));
                }
            }
            case "1LKDEADLOCK" -> {
                endChain();
                chainLine = n;
            }
            case "2LKDEADLOCKTHR" -> deadlockThread(rest, n);
            case "4LKDEADLOCKOBJ" -> {
                if (chain != null) {
                    chain.waitsFor(lockRef(rest));
                }
            }
            case "3LKDEADLOCKOWN" -> chainOwnerNext = true;
            case "3XMTHREADINFO" -> threadHeader(line, n);
            case "3XMJAVALTHREAD" -> {
                if (thread != null) {
                    Matcher id = JAVA_ID.matcher(rest);
                    if (id.find()) {
                        String v = id.group(1);
                        thread.javaId = OptionalLong.of(v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v));
                    }
                    thread.daemon = rest.contains("isDaemon:true");
                }
            }
            case "3XMTHREADINFO1" -> {
                Matcher m = NATIVE_ID.matcher(rest);
                if (thread != null && m.find()) {
                    thread.nativeId = m.group(1).toLowerCase();
                }
            }
            case "3XMTHREADBLOCK" -> threadBlock(rest, n);
            case "4XESTACKTRACE" -> {
                if (thread != null && rest.startsWith("at ")) {
                    thread.frame(ForeignThread.frameText(rest));
                }
            }
            case "5XESTACKTRACE" -> {
                // "(entered lock: org/eclipse/...ExportServiceRecord@0x00000001F3C324E0, entry count: 1)"
                int e = rest.indexOf("entered lock:");
                if (thread != null && e >= 0) {
                    LockRef lock = lockRef(rest.substring(e + 13));
                    if (lock != null) {
                        thread.lock(new LockAction(LockAction.Kind.LOCKED, lock, SourceRef.line(file, n)));
                    }
                }
            }
            default -> {
                if (tag.startsWith("1XM") || tag.startsWith("1XE") || tag.startsWith("1CL")) {
                    endThread();
                }
            }
        }
    }

    private void threadHeader(String line, long n) {
        Matcher m = THREAD.matcher(line);
        if (!m.find()) {
            endThread(); // "Anonymous native thread": no Java thread
            return;
        }
        endThread();
        sawThreads = true;
        thread = new ForeignThread(m.group(1), n);
        ForeignThread again = null;
        String fields = line.substring(line.indexOf(m.group(1)) + m.group(1).length() + 1);
        Matcher f = FIELD.matcher(fields);
        String state = "";
        while (f.find()) {
            String key = f.group(1).strip().replaceFirst("^\\(", "");
            String value = f.group(2);
            switch (key) {
                case "J9VMThread" -> {
                    sawJ9 = true;
                    thread.address = norm(value);
                    byRef.put(norm(value), thread);
                }
                case "TID" -> {
                    if (thread.address == null) {
                        thread.address = norm(value);
                    }
                    byRef.put(norm(value), thread);
                }
                case "sys_thread_t", "omrthread_t", "j9thread_t" -> {
                    byRef.put(norm(value), thread);
                    if (key.equals("sys_thread_t")) {
                        thread.address = norm(value);
                    }
                }
                case "state" -> state = value;
                case "native ID" -> thread.nativeId = value.toLowerCase();
                default -> {
                }
            }
        }
        // the dumping thread is printed twice, under "Current Thread Details" and in the list: one thread
        again = threads.stream().filter(t -> t != thread && t.address != null && t.address.equals(thread.address)
                && t.name.equals(thread.name)).findFirst().orElse(null);
        if (again != null) {
            threads.remove(again);
        }
        thread.detail = "javacore state " + state;
        thread.state = switch (state) {
            case "R" -> ThreadState.RUNNABLE;
            case "B", "MW" -> ThreadState.BLOCKED;
            case "CW", "P" -> ThreadState.WAITING;
            case "Z" -> ThreadState.TERMINATED;
            case "S" -> ThreadState.RUNNABLE;
            default -> ThreadState.UNKNOWN;
        };
        threads.add(thread);
    }

    private void endThread() {
        if (thread != null) {
            thread.endFrame();
            thread = null;
        }
    }

    /** "Blocked on: X Owned by: "name" (J9VMThread:...)", "Waiting on: ...", "Parked on: ..." */
    private void threadBlock(String rest, long n) {
        if (thread == null) {
            return;
        }
        LockAction.Kind kind = rest.startsWith("Blocked on:") ? LockAction.Kind.WAITING_TO_LOCK
                : rest.startsWith("Waiting on:") ? LockAction.Kind.WAITING_ON
                : rest.startsWith("Parked on:") ? LockAction.Kind.PARKING : null;
        if (kind == null) {
            return;
        }
        int owned = rest.indexOf(" Owned by: ");
        LockRef lock = lockRef(rest.substring(rest.indexOf(':') + 1, owned > 0 ? owned : rest.length()));
        if (lock == null) {
            return;
        }
        thread.lock(new LockAction(kind, lock, SourceRef.line(file, n)));
        if (owned > 0) {
            Matcher m = THREAD_REF.matcher(rest.substring(owned + 11));
            if (m.find()) {
                claims.add(new OwnerClaim(lock, norm(m.group(2)), m.group(1), kind != LockAction.Kind.PARKING));
            }
            parkedOwners |= kind == LockAction.Kind.PARKING;
        }
    }

    private void monitorObject(String rest) {
        if (systemMonitors || monitor == null) {
            return;
        }
        int colon = rest.indexOf(": ");
        monitor.lock = lockRef(colon > 0 ? rest.substring(0, colon) : rest);
        String owner = colon > 0 ? rest.substring(colon + 2) : "";
        Matcher ident = FLAT_IDENT.matcher(owner);
        if (ident.find()) {
            monitor.flatIdent = ident.group(1).toLowerCase();
            return;
        }
        Matcher m = THREAD_REF.matcher(owner);
        if (!owner.startsWith("<unowned>") && m.find()) {
            monitor.ownerRef = norm(m.group(2));
            monitor.ownerName = m.group(1);
        }
    }

    private void deadlockThread(String rest, long n) {
        // 'Thread "name" (0x...)'
        Matcher m = THREAD_REF.matcher(rest);
        if (!m.find()) {
            return;
        }
        String name = m.group(1);
        if (chain == null) {
            chainLine = chainLine == 0 ? n : chainLine;
            chain = new ReportedChain(file, chainLine);
        }
        if (chainOwnerNext) {
            chainOwnerNext = false;
            chain.heldBy(name);
            if (chain.closed()) {
                endChain(); // back to the first thread: the ring is closed
            }
        } else {
            chain.waiter(name);
        }
    }

    private void endChain() {
        // J9 prints a ring once from each of its threads: the same ring is kept once
        ReportedDeadlock ring = chain == null ? null : chain.finish();
        if (ring != null && deadlocks.stream().noneMatch(d -> Set.copyOf(d.threadNames()).equals(Set.copyOf(ring.threadNames())))) {
            deadlocks.add(ring);
        }
        chain = null;
        chainOwnerNext = false;
    }

    private int finish() {
        endThread();
        endChain();
        if (threads.isEmpty()) {
            return 0;
        }
        for (Monitor mon : monitors) {
            if (mon.lock == null) {
                continue;
            }
            String owner = mon.ownerRef != null ? mon.ownerRef : mon.flatIdent != null ? flatIdents.get(mon.flatIdent) : null;
            ForeignThread o = owner == null ? null : byRef.get(owner);
            if (o != null) {
                o.owns(mon.lock);
            }
            for (String ref : mon.entering) {
                ForeignThread w = byRef.get(ref);
                if (w != null && w != o && !w.waitsFor(mon.lock.id())) {
                    w.waitOnTop(new LockAction(LockAction.Kind.WAITING_TO_LOCK, mon.lock, SourceRef.line(file, mon.line)));
                    w.state = ThreadState.BLOCKED;
                }
            }
            for (String ref : mon.notified) {
                ForeignThread w = byRef.get(ref);
                if (w == null || w == o || w.waitsFor(mon.lock.id())) {
                    continue;
                }
                // the Classic VM queues a thread that blocked on a flat lock with those waiting to be notified;
                // a thread not in Object.wait() is not waiting for a notify, it is waiting to get in
                boolean inWait = !w.frames.isEmpty() && w.frames.get(0).method().equals("java.lang.Object.wait");
                LockAction.Kind kind = inWait || o == null ? LockAction.Kind.WAITING_ON : LockAction.Kind.WAITING_TO_LOCK;
                w.waitOnTop(new LockAction(kind, mon.lock, SourceRef.line(file, mon.line)));
                if (kind == LockAction.Kind.WAITING_TO_LOCK) {
                    w.state = ThreadState.BLOCKED;
                }
            }
        }
        for (OwnerClaim c : claims) {
            ForeignThread o = byRef.get(c.ownerRef());
            if (o != null) {
                o.owns(c.lock());
            }
        }
        List<JvmThread> built = ForeignThread.buildAll(threads, file);
        // J9 names the owner of a contended java.util.concurrent lock, Classic has none of them
        Visibility synchronizers = sawJ9 || parkedOwners ? Visibility.SHOWN : Visibility.NOT_SHOWN;
        sink.accept(new Snapshot(file, "javacore", SourceRef.line(file, 1), time, new JvmHints(pid, version, Optional.empty()),
                built, Visibility.SHOWN, synchronizers, deadlocks, List.of()));
        return 1;
    }

    /** "java/lang/Object@0x00000000E14653B0" (J9) or "java.lang.Object@9B3D78/9B3D80" (Classic). */
    static LockRef lockRef(String text) {
        Matcher m = OBJECT.matcher(text.strip());
        if (!m.find()) {
            return null;
        }
        return new LockRef("0x" + Long.toHexString(Long.parseUnsignedLong(m.group(2), 16)), ForeignThread.dotted(m.group(1)));
    }

    private static String norm(String ref) {
        String h = ref.toLowerCase().startsWith("0x") ? ref.substring(2) : ref;
        return "0x" + Long.toHexString(Long.parseUnsignedLong(h, 16));
    }

    private static Optional<Instant> parseDate(String rest) {
        // "Date: 2016/04/04 at 08:39:09:996", "Date:                 2024/11/18 at 18:20:39:414 (UTC)"
        Matcher m = DATE_TEXT.matcher(rest);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(m.group(1), DATE).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
