package io.lockscope.analyzer.threaddump;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the lines before a dump say of it: jcmd's "12345:" and the agent's "Attaching to process
 * ID 12345" (a pid, which for the agent holds for every dump of the file), the time jstack prints
 * above "Full thread dump" (also as {@code jfr print} shows a jdk.ThreadDump event's), and the agent's
 * "JVM version is ...".
 */
final class Preamble {

    private static final String AGENT_VM_VERSION = "JVM version is ";
    private static final Pattern JCMD_PID = Pattern.compile("^(\\d+):$");
    private static final Pattern PID_LINE = Pattern.compile("^(?:pid: |Attaching to process ID )(\\d+)");
    /** The time above the dump; in {@code jfr print}'s text of a jdk.ThreadDump event, after {@code result = "}. */
    private static final Pattern TIMESTAMP = Pattern.compile("^(?:result = \")?(\\d{4}-\\d\\d-\\d\\d)[ T](\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?)\\s*$");

    /** What was found before the dump that now begins. */
    record Facts(OptionalLong pid, Optional<Instant> time, Optional<String> version) {
    }

    private OptionalLong pid = OptionalLong.empty();
    private Optional<Instant> time = Optional.empty();
    private Optional<String> version = Optional.empty();
    private OptionalLong filePid = OptionalLong.empty();

    /** A line outside any dump, stripped. */
    void line(String line) {
        Matcher m = JCMD_PID.matcher(line);
        if (m.matches()) {
            pid = OptionalLong.of(Long.parseLong(m.group(1)));
            return;
        }
        m = PID_LINE.matcher(line);
        if (m.find()) {
            pid = OptionalLong.of(Long.parseLong(m.group(1)));
            filePid = pid;
            return;
        }
        if (line.startsWith(AGENT_VM_VERSION)) {
            version = Optional.of(line.substring(AGENT_VM_VERSION.length()).strip());
            return;
        }
        m = TIMESTAMP.matcher(line);
        if (m.matches()) {
            Optional<Instant> at = DumpLines.localTime(m.group(1) + "T" + m.group(2));
            if (at.isPresent()) {
                time = at; // else not a time after all
            }
        }
    }

    /** The facts for the dump that begins now; the next dump starts afresh, but for the file's pid. */
    Facts take() {
        Facts f = new Facts(pid.isPresent() ? pid : filePid, time, version);
        pid = OptionalLong.empty();
        time = Optional.empty();
        version = Optional.empty();
        return f;
    }
}
