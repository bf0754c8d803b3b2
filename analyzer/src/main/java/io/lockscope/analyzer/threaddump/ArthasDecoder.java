package io.lockscope.analyzer.threaddump;

import io.lockscope.model.JvmHints;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes what Arthas's {@code thread} command prints of a live JVM it has attached to: a
 * session's output (its banner, then each command after the prompt {@code [arthas@6014]$ thread -n -1})
 * or one command's output redirected to a file. Each listing of threads is a snapshot, at one
 * instant (ThreadMXBean's getThreadInfo); tables ({@code thread}, {@code thread --all}) are left out.
 * <pre>
 * "auditor" Id=13 cpuUsage=0.0% deltaTime=0ms time=0ms BLOCKED on Scenario$Register@ac284b8 owned by "closer" Id=14
 *     at app//Scenario.nested(Scenario.java:122)
 *     -  blocked on Scenario$Register@ac284b8
 *     -  locked Scenario$Ledger@547edc7e &lt;---- but blocks 1 other threads!     (with --lockedMonitors, or thread -b)
 *
 *     Number of locked synchronizers = 1                                         (with --lockedSynchronizers)
 *     - java.util.concurrent.locks.ReentrantLock$NonfairSync@2201b416
 * </pre>
 * The owner a waiter's header names holds the lock. {@code thread -n -1} lists every thread;
 * {@code thread -n 3}, {@code thread ID} and {@code thread -b} list some: an owner they name and do
 * not list is added as a live thread whose state is unknown, never as one that ended. A listing
 * whose command is not known (a redirect) is taken as one that may leave threads out.
 */
final class ArthasDecoder {

    /** The prompt and the command after it: {@code [arthas@6014]$ thread -n -1 | plaintext}. */
    static final Pattern PROMPT = Pattern.compile("^\\[arthas@(\\d+)]\\$ ?(.*)$");
    /**
     * A thread's header: name, id, the sampling fields of {@code thread -n} (cpuUsage=0.33%
     * deltaTime=0ms time=10ms; only cpuUsage before Arthas 3.5), state, the lock waited for and its
     * owner, then " (suspended)", " (in native)".
     */
    static final Pattern THREAD = Pattern.compile(
            "^\"(.*)\" Id=(\\d+)((?: [A-Za-z]+=\\S*)*) ([A-Z_]+)(?: on (\\S+))?(?: owned by \"(.*)\" Id=(-?\\d+))?((?: \\([a-z ]+\\))*)$");
    private static final Pattern TIME_FIELD = Pattern.compile(" time=(\\d+)ms");
    /** The banner's lines Arthas prints on attaching: {@code pid          6014}, {@code current_time 2026-12-07 19:34:06.157}. */
    private static final Pattern BANNER = Pattern.compile("^(pid|current_time) +(\\S.*?)\\s*$");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final String SYNCHRONIZERS = "Number of locked synchronizers = ";

    private final String file;
    private final ForeignDump listing;
    private OptionalLong pid = OptionalLong.empty();
    /** The banner's time: that of the first listing after it. */
    private Optional<Instant> bannerTime = Optional.empty();
    /** What the prompt before the listing asked for; null for a listing without one. */
    private String command;
    private boolean inSynchronizers;
    private final Set<Long> ids = new HashSet<>();
    /** The lock the thread's header says it waits for, and that lock's owner, if it names one. */
    private Owner headerOwner;

    private record Owner(long id, String name, LockRef lock) {
    }

    ArthasDecoder(String file, SnapshotSink sink) {
        this.file = file;
        this.listing = new ForeignDump(file, file + "#", "arthas", sink);
    }

    /** Whether the last line read was one of a listing's: a file that breaks off there cut the listing short. */
    private boolean inListing;

    /** Reads the file's listings; returns how many. */
    int decode(LineSource lines) throws IOException {
        lines.forEach(this::line, this::finishListing);
        return listing.count();
    }

    /** Whether the file broke off in a listing's line, rather than in a prompt or a table. */
    boolean endedInListing() {
        return inListing;
    }

    private void line(String raw, long n) {
        if (raw.isEmpty()) {
            return;
        }
        inListing = false;
        if (raw.charAt(0) == '"' && raw.length() <= DumpLines.MAX_THREAD_HEADER) {
            Matcher h = THREAD.matcher(raw);
            if (h.matches()) {
                header(h, n);
                inListing = true;
                return;
            }
        }
        // colours of a terminal's session log: the prompt, the banner, " <---- but blocks 3 other threads!" in red
        String line = raw.indexOf('\u001B') >= 0 ? ANSI.matcher(raw).replaceAll("") : raw;
        Matcher p = PROMPT.matcher(line);
        if (p.matches()) {
            finishListing();
            pid = DumpLines.parseLong(p.group(1));
            command = p.group(2).strip();
            return;
        }
        String text = line.strip();
        if (text.isEmpty()) {
            return;
        }
        if (listing.thread() != null && Character.isWhitespace(line.charAt(0))) {
            threadLine(listing.thread(), text, n);
            inListing = true;
            return;
        }
        endThread();
        Matcher b = BANNER.matcher(line);
        if (b.matches()) {
            if (b.group(1).equals("pid")) {
                pid = DumpLines.parseLong(b.group(2));
            } else {
                bannerTime = DumpLines.localTime(b.group(2).replace(' ', 'T'));
            }
        }
    }

    private void header(Matcher h, long n) {
        endThread();
        OptionalLong id = DumpLines.parseLong(h.group(2));
        if (!listing.threads().isEmpty() && id.isPresent() && !ids.add(id.getAsLong())) {
            finishListing(); // a thread listed again: another listing, written after this one without a prompt
        }
        if (listing.threads().isEmpty()) {
            listing.start(n, Optional.empty());
            id.ifPresent(ids::add);
        }
        ForeignThread thread = listing.startThread(h.group(1), n);
        thread.javaId = id;
        thread.state = ThreadState.parse(h.group(4));
        thread.detail = h.group(8).strip();
        Matcher cpu = TIME_FIELD.matcher(h.group(3));
        if (cpu.find()) {
            thread.cpuMicros = OptionalLong.of(Long.parseLong(cpu.group(1)) * 1000);
        }
        headerOwner = h.group(5) != null && h.group(6) != null
                ? new Owner(DumpLines.parseLong(h.group(7)).orElse(-1), h.group(6), ThreadMXBeanText.hashLock(h.group(5))) : null;
        inSynchronizers = false;
    }

    private void threadLine(ForeignThread thread, String line, long n) {
        SourceRef at = SourceRef.line(file, n);
        if (line.startsWith("at ")) {
            thread.frame(line.substring(3));
        } else if (line.startsWith(SYNCHRONIZERS)) {
            inSynchronizers = true;
        } else if (inSynchronizers && line.startsWith("- ")) {
            LockRef lock = DumpLines.classAtHash(line.substring(2));
            if (lock != null) {
                thread.owns(lock);
            }
        } else if (line.startsWith("-  locked ")) {
            LockRef lock = DumpLines.classAtHash(line.substring(10));
            if (lock != null) {
                thread.lock(new LockAction(LockAction.Kind.LOCKED, lock, at));
            }
        } else if (line.startsWith("-  blocked on ") || line.startsWith("-  waiting on ")) {
            // under the top frame; "waiting on" for Object.wait and a park alike: the state and the frame tell
            LockRef lock = DumpLines.classAtHash(line.substring(14));
            LockAction.Kind kind = lock == null ? null : thread.waitByState(lock, at);
            Owner o = headerOwner;
            if (kind != null && o != null && o.lock().id().equals(lock.id())) {
                listing.owners().add(o.id(), o.name(), lock, kind, SourceRef.line(file, thread.line));
            }
        }
    }

    private void endThread() {
        listing.endThread();
        inSynchronizers = false;
    }

    /**
     * Whether the listing's command lists every thread of the JVM: {@code thread -n -1}, or
     * {@code thread -n N} that listed fewer than N. A listing without its prompt may not.
     */
    private boolean allListed() {
        if (command == null) {
            return false;
        }
        String[] words = command.split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("-n") || words[i].equals("--top-n-threads")) {
                long top = DumpLines.parseLong(words[i + 1]).orElse(0);
                return top < 0 || top > listing.threads().size();
            }
        }
        return false;
    }

    private void finishListing() {
        endThread();
        if (!listing.threads().isEmpty()) {
            listing.time(bannerTime); // the banner's time is that of the first listing after it
            bannerTime = Optional.empty();
        }
        listing.finish(new JvmHints(pid, Optional.empty(), Optional.empty()), List.of(), allListed());
        ids.clear();
        command = null;
    }
}
