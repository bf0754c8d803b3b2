package io.lockscope.analyzer.threaddump;

import io.lockscope.model.LockRef;
import io.lockscope.model.ReportedDeadlock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HotSpot's deadlock section ({@code ThreadService::print_deadlock}, deadlock detection in
 * threadService.cpp), and the Serviceability Agent's ({@code DeadlockDetector}): from
 * "Found one Java-level deadlock:" to the stacks that follow it, the ring of threads, the lock
 * each waits for and the thread that holds it.
 */
final class DeadlockSection {

    static final String HEADER = "Found one Java-level deadlock:";
    static final String STACKS = "Java stack information for the threads listed above:";
    private static final String HELD_BY = "which is held by ";
    private static final String MONITOR_WAIT = "waiting to lock monitor ";
    private static final String SYNCHRONIZER_WAIT = "waiting for ownable synchronizer ";
    private static final String AGENT_MONITOR_WAIT = "waiting to lock Monitor@";
    private static final Pattern OBJECT_IN_MONITOR = Pattern.compile("\\(object (0x[0-9a-fA-F]+|[0-9a-fA-F]+), a ([^)]+)\\)");
    private static final Pattern SYNCHRONIZER = Pattern.compile("^waiting for ownable synchronizer (\\S+?),? \\(a ([^)]+)\\)");
    private static final Pattern AGENT_OBJECT_IN_MONITOR = Pattern.compile("\\(Object@(0x[0-9a-fA-F]+), a ([^)]+)\\)");

    /** What the line after the section's last one is. */
    enum Next { SAME, THREADS, STACKS }

    private final ReportedChain chain;

    DeadlockSection(String file, long line) {
        this.chain = new ReportedChain(file, line);
    }

    /** One line of the section, stripped; says whether the section goes on. */
    Next line(String text) {
        if (text.startsWith(STACKS)) {
            return Next.STACKS;
        }
        if (text.startsWith("Found ")) {
            return Next.THREADS;
        }
        if (text.startsWith("=")) {
            return Next.SAME;
        }
        if (text.startsWith("\"") && text.endsWith("\":")) {
            chain.waiter(text.substring(1, text.length() - 2));
        } else if (text.startsWith(MONITOR_WAIT)) {
            Matcher m = OBJECT_IN_MONITOR.matcher(text);
            if (m.find()) {
                chain.waitsFor(new LockRef(m.group(1), m.group(2)));
            } else {
                // "waiting to lock monitor 0x... (object ..." split oddly, or a monitor without object
                String addr = text.substring(MONITOR_WAIT.length()).split("[ ,]")[0];
                chain.waitsFor(new LockRef(addr, "?"));
            }
        } else if (text.startsWith(AGENT_MONITOR_WAIT)) {
            // the agent's "waiting to lock Monitor@0x... (Object@0x..., a Scenario$Register),"
            Matcher m = AGENT_OBJECT_IN_MONITOR.matcher(text);
            if (m.find()) {
                chain.waitsFor(new LockRef(m.group(1), ServiceabilityAgentText.binaryName(m.group(2))));
            }
        } else if (text.startsWith(SYNCHRONIZER_WAIT)) {
            Matcher m = SYNCHRONIZER.matcher(text);
            if (m.find()) {
                chain.waitsFor(new LockRef(m.group(1), ServiceabilityAgentText.binaryName(m.group(2))));
            }
        } else if (text.startsWith(HELD_BY)) {
            String holder = text.substring(HELD_BY.length()).strip();
            if (holder.startsWith("\"") && holder.lastIndexOf('"') > 0) {
                holder = holder.substring(1, holder.lastIndexOf('"'));
            }
            chain.heldBy(holder);
        }
        return Next.SAME;
    }

    /** The ring the section showed; null if it named none. */
    ReportedDeadlock finish() {
        return chain.finish();
    }

    /**
     * Whether the JVM's deadlock search covers java.util.concurrent locks: from JDK 6 on. JDK 1.4
     * and 5 name their own version in the header ("1.5.0_22-b03"); later HotSpot versions do not
     * start with "1.".
     */
    static boolean searchesOwnableLocks(java.util.Optional<String> vmVersion) {
        if (vmVersion.isEmpty()) {
            return false;
        }
        String version = vmVersion.get().substring(vmVersion.get().lastIndexOf(' ') + 1);
        return !version.startsWith("1.") && !version.isEmpty() && Character.isDigit(version.charAt(0));
    }
}
