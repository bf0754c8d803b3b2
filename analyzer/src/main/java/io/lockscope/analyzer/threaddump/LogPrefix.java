package io.lockscope.analyzer.threaddump;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a log pipeline puts before every line of a dump a JVM printed to its standard output (kill
 * -3): a container runtime's "2026-12-07T15:01:11.003947427Z stdout F ", kubectl's
 * --timestamps, journald's "Dec 07 15:01:11 host java[4711]: ", WebSphere's
 * "[12/7/26 15:01:11:003 UTC] 0000004a SystemOut     O ". Learned from the text before a
 * "Full thread dump" line; taken off every later line that starts with text of the same shape
 * (numbers may differ, a fraction of a second may be missing, the words must be the same), until
 * the next "Full thread dump" line says otherwise. Lines of another shape, another process's log
 * lines among them, are left as they are.
 */
final class LogPrefix {

    private static final String MARK = "Full thread dump ";

    private Pattern shape;
    private String prefix = "";
    private String confirmed = "";
    private String previous;
    private String earlier;
    /** Whether the prefix was learned and no line has had it since: the next line must, or it is none. */
    private boolean unproven;

    /**
     * The line without the prefix, if one was learned and the line starts with it; otherwise the
     * line as it is. A "Full thread dump" line teaches the prefix before it, or that there is none.
     */
    String strip(String raw) {
        String prior = previous;
        previous = raw;
        earlier = null;
        if (raw.endsWith(":")) {
            int at = raw.indexOf(MARK);
            if (at >= 0) {
                if (learn(raw.substring(0, at)) && prior != null) {
                    Matcher m = shape.matcher(prior);
                    earlier = m.lookingAt() ? prior.substring(m.end()) : null;
                }
                return raw.substring(at);
            }
        }
        if (shape == null) {
            return raw;
        }
        Matcher m = shape.matcher(raw);
        if (!m.lookingAt()) {
            if (unproven) {
                shape = null; // the line after the header lacks it: text glued before the header, not a log's prefix
            }
            return raw;
        }
        unproven = false;
        if (confirmed.isEmpty()) {
            confirmed = prefix;
        }
        return raw.substring(m.end());
    }

    /**
     * The first prefix that a line after its "Full thread dump" line also had, as it was seen
     * there; empty if none. Text before "Full thread dump" that the next line does not have (a file
     * that did not end its last line, and another after it) is no prefix, and is forgotten.
     */
    String learnedFrom() {
        return confirmed;
    }

    /**
     * The line before this one without the prefix this one has just taught: read before the
     * prefix was known, it may hold what HotSpot prints above a dump (its time). Null otherwise.
     */
    String lineBeforeLearning() {
        return earlier;
    }

    /** Learns the prefix of a "Full thread dump" line; true if it is a new one. */
    private boolean learn(String before) {
        if (before.isBlank()) {
            shape = null;
            return false;
        }
        if (shape != null && shape.matcher(before).matches()) {
            return false;
        }
        shape = shapeOf(before);
        prefix = before.strip();
        unproven = true;
        return true;
    }

    /**
     * A pattern for text shaped like {@code prefix}: a run of hex digits with a decimal digit in it
     * (a date, a time, a pid, a thread id) stands for any such run, a fraction after a '.' or ','
     * may be missing (kubectl drops a fraction's trailing zeros, and all of it when it is zero),
     * white space for any, and everything else for itself. Trailing white space is optional: some
     * pipelines drop it from a line with nothing after the prefix.
     */
    static Pattern shapeOf(String prefix) {
        return Pattern.compile(shape(prefix.stripTrailing()) + "\\s*");
    }

    /**
     * The same, with the prefix's trailing white space as it is: for text whose indentation after
     * the prefix means something (Hadoop's two spaces before a field, four before a frame).
     */
    static Pattern exactShapeOf(String prefix) {
        String p = prefix.stripTrailing();
        return Pattern.compile(shape(p) + Pattern.quote(prefix.substring(p.length())));
    }

    private static String shape(String p) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if ((c == '.' || c == ',') && i + 1 < p.length() && Character.isDigit(p.charAt(i + 1))) {
                int j = hexRun(p, i + 1);
                re.append("(?:[.,][0-9A-Fa-f]+)?");
                i = j;
            } else if (Character.digit(c, 16) >= 0) {
                int j = hexRun(p, i);
                String run = p.substring(i, j);
                re.append(run.chars().anyMatch(Character::isDigit) ? "[0-9A-Fa-f]+" : Pattern.quote(run));
                i = j;
            } else if (Character.isWhitespace(c)) {
                while (i < p.length() && Character.isWhitespace(p.charAt(i))) {
                    i++;
                }
                re.append("\\s+");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return re.toString();
    }

    private static int hexRun(String s, int from) {
        int j = from;
        while (j < s.length() && Character.digit(s.charAt(j), 16) >= 0) {
            j++;
        }
        return j;
    }
}
