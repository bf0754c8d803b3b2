package io.lockscope.analyzer.threaddump;

import io.lockscope.model.JvmHints;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes Apache Tomcat's thread dump, {@code org.apache.tomcat.util.Diagnostics.getThreadDump()}:
 * what the Manager's {@code /manager/text/threaddump} serves, from {@code ThreadMXBean.dumpAllThreads}.
 * Its time, then a header as HotSpot's, then each thread as
 * <pre>
 * "closer" Id=14 cpu=934659 ns usr=0 ns blocked 1 for -1 ms waited 1 for -1 ms
 *    java.lang.Thread.State: BLOCKED
 * 	locks java.util.concurrent.locks.ReentrantLock$NonfairSync@1b6d3586     (its ownable synchronizers)
 * 	at app//Scenario.nested(Scenario.java:122)
 * 	- waiting on (a Scenario$Inventory@3c9c9440) owned by stocker Id=12    (under the top frame)
 * 	- locked (a Scenario$Register@5e669ebe) index 0 frame app//Scenario.nested(Scenario.java:122)
 * </pre>
 * "waiting on" stands for every wait, blocked, parked or in {@code Object.wait}: the thread's state
 * and top frame tell which. The JVM's deadlocked threads follow the dump again after "Deadlock found
 * between the following threads:", and are not read twice. The titles are in the language the
 * Manager's page was asked in (Tomcat's translations: "Kompletter Thread Dump", "完全なスレッドダンプ"),
 * so a dump is told by its time line and a section by its shape. Several dumps in one file (fetched
 * again and again into it) are read one by one; no pid.
 */
final class TomcatThreadDumpDecoder {

    static final String HEADER = "Full thread dump ";
    /** {@code "closer" Id=14 cpu=934659 ns usr=0 ns blocked 1 for -1 ms waited 1 for -1 ms}, and " (suspended)", " (running in native)". */
    static final Pattern THREAD = Pattern.compile("^\"(.*)\" Id=(\\d+) cpu=(-?\\d+) ns usr=-?\\d+ ns blocked \\d+ for -?\\d+ ms waited \\d+ for -?\\d+ ms.*$");
    private static final Pattern TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?)$");
    private static final String STATE = "java.lang.Thread.State: ";
    private static final String WAITING_ON = "- waiting on (a ";
    private static final String LOCKED = "- locked (a ";
    /** How VMs begin their names (RuntimeMXBean's getVmName). */
    private static final List<String> VM_NAMES = List.of("OpenJDK", "Java HotSpot", "Eclipse OpenJ9", "IBM J9", "GraalVM", "Zing", "Java(TM)");

    private final String file;
    private final ForeignDump dump;
    private String vm;
    /** The Java ids of the dump's threads read so far. */
    private final Set<Long> ids = new HashSet<>();

    TomcatThreadDumpDecoder(String file, SnapshotSink sink) {
        this.file = file;
        this.dump = new ForeignDump(file, file + "#", "tomcat-threaddump", sink);
    }

    /** Reads the file's dumps; returns how many. */
    int decode(LineSource lines) throws IOException {
        lines.forEach(this::line, this::finishDump);
        return dump.count();
    }

    private void line(String raw, long n) {
        String line = raw.strip();
        if (line.isEmpty()) {
            return;
        }
        Matcher t = TIME.matcher(line);
        if (t.matches()) {
            // each dump begins with its time, whatever language its title is in
            finishDump();
            dump.start(n, DumpLines.localTime(t.group(1) + "T" + t.group(2)));
            return;
        }
        if (line.startsWith(HEADER) && line.endsWith("):") && (!dump.open() || !dump.threads().isEmpty() || vm != null)) {
            finishDump();
            dump.start(n, Optional.empty());
        }
        if (!dump.open()) {
            return;
        }
        if (line.charAt(0) == '"') {
            Matcher h = THREAD.matcher(line);
            if (line.length() <= DumpLines.MAX_THREAD_HEADER && h.matches()) {
                dump.endThread();
                OptionalLong id = DumpLines.parseLong(h.group(2));
                if (id.isPresent() && !ids.add(id.getAsLong())) {
                    // the deadlock section's threads, listed again: read once
                    return;
                }
                ForeignThread thread = dump.startThread(h.group(1), n);
                thread.javaId = id;
                long cpu = Long.parseLong(h.group(3));
                thread.cpuMicros = cpu >= 0 ? OptionalLong.of(cpu / 1000) : OptionalLong.empty();
            }
            return;
        }
        if (dump.threads().isEmpty() && vm == null && line.endsWith("):")) {
            vm = vmName(line);
            return;
        }
        if (!Character.isWhitespace(raw.charAt(0))) {
            // "Deadlock found between the following threads:" (in the page's language), before those
            // threads again, or a line that is none of the dump's: no thread's
            dump.endThread();
            return;
        }
        if (dump.thread() != null) {
            threadLine(dump.thread(), line, n);
        }
    }

    /**
     * The VM's name and version from the title line, "Full thread dump OpenJDK 64-Bit Server VM
     * (17.0.15+6 mixed mode, sharing):", as HotSpot's header gives them; the title is in the language
     * the Manager's page was asked in ("Kompletter Thread Dump OpenJDK ..."), so the name is found by
     * how VMs call themselves.
     */
    private static String vmName(String line) {
        Optional<String> v = DumpLines.vmVersion(line);
        if (v.isPresent()) {
            return v.get();
        }
        int open = line.lastIndexOf(" (");
        if (open < 0) {
            return null;
        }
        String version = line.substring(open + 2, line.length() - 2).split("[ ,]")[0];
        for (String vendor : VM_NAMES) {
            int at = line.indexOf(vendor);
            if (at >= 0 && at < open) {
                return line.substring(at, open).strip() + " " + version;
            }
        }
        return version;
    }

    private void threadLine(ForeignThread thread, String line, long n) {
        if (line.startsWith(STATE)) {
            thread.state = ThreadState.parse(line.substring(STATE.length()).strip());
        } else if (line.startsWith("at ")) {
            thread.frame(line.substring(3));
        } else if (line.startsWith("locks ")) {
            LockRef lock = DumpLines.classAtHash(line.substring(6));
            if (lock != null) {
                thread.owns(lock);
            }
        } else if (line.startsWith(LOCKED)) {
            int close = line.indexOf(") index ");
            LockRef lock = close < 0 ? null : DumpLines.classAtHash(line.substring(LOCKED.length(), close));
            if (lock != null) {
                thread.lock(new LockAction(LockAction.Kind.LOCKED, lock, SourceRef.line(file, n)));
            }
        } else if (line.startsWith(WAITING_ON)) {
            waitingOn(thread, line, n);
        }
    }

    /** "- waiting on (a Scenario$Inventory@3c9c9440) owned by stocker Id=12", under the top frame. */
    private void waitingOn(ForeignThread thread, String line, long n) {
        int close = line.indexOf(')', WAITING_ON.length());
        LockRef lock = close < 0 ? null : DumpLines.classAtHash(line.substring(WAITING_ON.length(), close));
        if (lock == null) {
            return;
        }
        SourceRef at = SourceRef.line(file, n);
        LockAction.Kind kind = thread.waitByState(lock, at);
        int owned = line.indexOf(" owned by ", close);
        int id = line.lastIndexOf(" Id=");
        if (kind != null && owned > 0 && id > owned) {
            dump.owners().add(DumpLines.parseLong(line.substring(id + 4)).orElse(-1), line.substring(owned + 10, id), lock, kind, at);
        }
    }

    private void finishDump() {
        if (dump.open()) {
            dump.finish(new JvmHints(OptionalLong.empty(), Optional.ofNullable(vm), Optional.empty()), List.of());
        }
        ids.clear();
        vm = null;
    }

}
