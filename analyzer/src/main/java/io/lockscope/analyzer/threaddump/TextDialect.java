package io.lockscope.analyzer.threaddump;

import java.util.regex.Pattern;

/**
 * The text renderings of a HotSpot JVM's threads that {@link HotSpotTextDecoder} reads: HotSpot's
 * own and the ones that copy its shape. Format detection decides which one a file is, once, and
 * hands it to the reader; the ids are the formats' public names (JSON's {@code format}).
 */
public enum TextDialect {
    /** jstack, jcmd Thread.print, SIGQUIT output in a console log */
    JSTACK("jstack"),
    /** jhsdb jstack (JDK 9+): HotSpot's headers over the Serviceability Agent's frames */
    JHSDB("jhsdb"),
    /** jstack -F (JDK 5 to 8): "Thread 16653: (state = BLOCKED)", no monitor lines */
    JSTACK_F("jstack-f"),
    /** ThreadInfo.toString(): "name" daemon prio=5 Id=12 WAITING on ... */
    THREADINFO("threadinfo"),
    /** the JDK 6 JMX demo's FullThreadDump ("name" id=3149 in RUNNABLE), and any tool's rendering without addresses */
    THREADINFO_TEXT("threadinfo-text"),
    /** Spring Boot actuator's text/plain: "name" - Thread t@31, locks as HotSpot prints them */
    ACTUATOR_TEXT("actuator-text"),
    /** VisualVM's text: the actuator's headers, locks as Class@hash */
    VISUALVM_TEXT("visualvm-text");

    /** The header of a JDK 5-8 jstack -F thread; on macOS the id is "t@60675". */
    public static final String AGENT_THREAD = "Thread (t@)?(\\d+): \\(state = ([A-Z_]+)";
    /** A frame of the Serviceability Agent: " - java.lang.Thread.sleep(long) @bci=0 (Interpreted frame)". */
    public static final String AGENT_FRAME = " - [^\\s(]+\\([^)]*\\) @bci=";
    /** ThreadInfo.toString(): name, daemon, prio (JDK 9+), id, state, the lock waited for, its owner. */
    public static final String THREADINFO_HEADER =
            "\"(.*)\"( daemon)?(?: prio=\\d+)? Id=(\\d+) ([A-Z_]+)(?: on (\\S+))?(?: owned by \"(.*)\" Id=(\\d+))?";
    /** The JMX demo's header: "name" id=3149 in RUNNABLE (running in native). */
    public static final String JMX_DEMO_HEADER = "\"(.*)\" id=(\\d+) in ([A-Z_]+)(.*)";
    /** The actuator's and VisualVM's header: "name" - Thread t@31. */
    public static final String ACTUATOR_HEADER = "\".*\" - Thread t@\\d+";

    /**
     * How long a line may be for the header patterns above to be tried on it: they backtrack, and a
     * damaged line of a megabyte would hold a read for minutes. A real header, name and owner's name
     * and all, is far shorter.
     */
    public static final int MAX_HEADER_LINE = 8192;

    static final Pattern AGENT_THREAD_LINE = Pattern.compile("^" + AGENT_THREAD);
    static final Pattern THREADINFO_LINE = Pattern.compile("^" + THREADINFO_HEADER);
    static final Pattern JMX_DEMO_LINE = Pattern.compile("^" + JMX_DEMO_HEADER + "$");

    private final String id;

    TextDialect(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether its threads are ThreadMXBean's ThreadInfo, rendered by a tool (see {@link ThreadInfoText}): the JMX demo's too. */
    boolean threadInfo() {
        return this == THREADINFO || this == THREADINFO_TEXT || this == ACTUATOR_TEXT || this == VISUALVM_TEXT;
    }

    /** Whether its thread headers are the actuator's ("name" - Thread t@N). */
    boolean actuatorHeaders() {
        return this == ACTUATOR_TEXT || this == VISUALVM_TEXT;
    }
}
