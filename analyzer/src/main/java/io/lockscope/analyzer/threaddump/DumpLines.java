package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Frame;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import java.util.List;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The line grammar HotSpot's text shares with every rendering that copies it: where a thread's
 * name ends, the lock lines ({@code - locked <0x...> (a java.lang.Object)}) and what each kind
 * means, locks named by address or by {@code Class@hash}, and frames as
 * {@code pkg.Class.method(File.java:12)}. Readers of other JVMs' dumps use the lock and frame
 * parts too.
 */
final class DumpLines {

    private DumpLines() {
    }

    /** A kind of lock line, by how it begins: the lock follows the prefix. */
    record LockLine(LockAction.Kind kind, String prefix) {
        /** Where the lock starts, e.g. after "- waiting to lock ", 18 characters. */
        int from() {
            return prefix.length();
        }
    }

    private static final List<LockLine> LOCK_LINES = List.of(
            new LockLine(LockAction.Kind.LOCKED, "- locked "),
            new LockLine(LockAction.Kind.WAITING_TO_LOCK, "- waiting to lock "),
            new LockLine(LockAction.Kind.WAITING_ON, "- waiting on "),
            new LockLine(LockAction.Kind.PARKING, "- parking to wait for "),
            new LockLine(LockAction.Kind.WAITING_TO_RELOCK, "- waiting to re-lock in wait() "),
            new LockLine(LockAction.Kind.ELIMINATED, "- eliminated "));

    /** The lock line HotSpot's {@code javaVFrame::print_lock_info_on} prints; null for any other line. */
    static LockLine lockLine(String line) {
        for (LockLine l : LOCK_LINES) {
            if (line.startsWith(l.prefix())) {
                return l;
            }
        }
        return null;
    }

    /**
     * Where a thread's name ends: the last quote after which the line reads as a thread header. A
     * name may hold quotes itself ("Bad "name""), and a vendor's header may quote a field after the
     * name (user="NAME"): neither the first nor the last quote of the line is always the one.
     */
    static int closingQuote(String line) {
        // isThreadHeader's fields must follow the quote: a quote after the last of them is never
        // the one, so each line is read once, not once for each of its quotes
        int lastField = Math.max(line.lastIndexOf(" tid="), line.lastIndexOf(" prio="));
        for (int q = line.lastIndexOf('"', lastField); q > 0; q = line.lastIndexOf('"', q - 1)) {
            if (line.charAt(q + 1) == ' ') {
                return q;
            }
        }
        return line.lastIndexOf('"');
    }

    static boolean isThreadHeader(String line, int close) {
        if (close + 1 >= line.length() || line.charAt(close + 1) != ' ') {
            return false;
        }
        // "prio=" for Java threads on every JDK; "tid=" also for VM threads; "nid=" for both.
        return line.indexOf(" tid=", close) > 0 || line.indexOf(" prio=", close) > 0;
    }

    /** {@code <0x000000069e37c2c0> (a java.lang.Object)}; null for "no object reference available". */
    static LockRef parseLockRef(String line, int from) {
        int lt = line.indexOf('<', from);
        int gt = lt < 0 ? -1 : line.indexOf('>', lt);
        if (gt < 0) {
            return classAtHash(line.substring(Math.min(from, line.length())));
        }
        String id = line.substring(lt + 1, gt);
        if (id.isEmpty() || id.indexOf(' ') >= 0) {
            return null;
        }
        int a = line.indexOf("(a ", gt);
        String cls = "?";
        if (a >= 0) {
            // the actuator's "<6e68b1a0> (a ...NonfairSync) owned by "transfer-b-to-a" t@32"
            int owned = line.indexOf(") owned by \"", a);
            int end = owned > 0 ? owned : line.lastIndexOf(')');
            cls = end > a ? line.substring(a + 3, end) : line.substring(a + 3);
            // "(a java.lang.Class for java.lang.String)" locks the class object of String
        }
        return new LockRef(id, ServiceabilityAgentText.binaryName(cls));
    }

    /**
     * VisualVM's lock, "java.io.BufferedInputStream@5284339c" (in the ownable list after "locked "):
     * the identity hash is its id, as in ThreadInfo's renderings. Null for anything else.
     */
    static LockRef classAtHash(String text) {
        String t = text.strip();
        if (t.startsWith("locked ")) {
            t = t.substring(7);
        }
        int space = t.indexOf(' ');
        String token = space < 0 ? t : t.substring(0, space);
        int at = token.lastIndexOf('@');
        if (at <= 0 || at == token.length() - 1 || !token.substring(at + 1).matches("[0-9a-f]+")) {
            return null;
        }
        return new LockRef(token.substring(at + 1), token.substring(0, at));
    }

    /** A frame line's text after "at ", with the locks printed under it. */
    static Frame toFrame(String text, List<LockAction> locks) {
        text = ThreadMXBeanText.withoutLoaderAndModule(text);
        int paren = text.indexOf('(');
        if (paren < 0 || !text.endsWith(")")) {
            return new Frame(text, "", locks);
        }
        return new Frame(text.substring(0, paren), text.substring(paren + 1, text.length() - 1), locks);
    }

    static boolean isZero(String hex) {
        String h = hex.startsWith("0x") ? hex.substring(2) : hex;
        for (int i = 0; i < h.length(); i++) {
            if (h.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    /** {@code s.substring(from, to)} read as milliseconds with up to three decimals ("1404.52"), in microseconds. */
    static OptionalLong micros(String s, int from, int to) {
        long whole = 0;
        long fraction = 0;
        int decimals = -1;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.' && decimals < 0) {
                decimals = 0;
            } else if (c >= '0' && c <= '9' && whole < Long.MAX_VALUE / 10_000) { // a larger number is no CPU time
                if (decimals < 0) {
                    whole = whole * 10 + (c - '0');
                } else if (decimals < 3) {
                    fraction = fraction * 10 + (c - '0');
                    decimals++;
                }
            } else {
                return OptionalLong.empty();
            }
        }
        if (to <= from || decimals == 0) {
            return OptionalLong.empty();
        }
        for (int d = Math.max(decimals, 0); d < 3; d++) {
            fraction *= 10;
        }
        return OptionalLong.of(whole * 1000 + fraction);
    }

    /**
     * A local date and time as ISO-8601 writes it without a zone ("2026-12-07T18:52:54.365"), read as
     * UTC: a dump's or a log's local time names no zone. Empty if it is no such time.
     */
    static Optional<Instant> localTime(String text) {
        try {
            return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static OptionalLong parseLong(String s) {
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** HotSpot's header, and Tomcat's, which copies it: the VM's name, then its version first in the parentheses. */
    private static final java.util.regex.Pattern VM_VERSION =
            java.util.regex.Pattern.compile("^Full thread dump (.*?)\\s*\\(([^()\\s]+)[^()]*\\):?\\s*$");
    /** How long a header may be for {@link #VM_VERSION} to be tried: it backtracks on a long line of parentheses. */
    private static final int MAX_HEADER = 512;
    /** How long a line may be for a thread header's pattern to be tried (its name, lock and owner's name; the patterns backtrack). */
    static final int MAX_THREAD_HEADER = TextDialect.MAX_HEADER_LINE;

    /** The VM's name and version in HotSpot's header line, "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):". */
    static Optional<String> vmVersion(String line) {
        java.util.regex.Matcher m = line.length() <= MAX_HEADER ? VM_VERSION.matcher(line) : null;
        return m != null && m.matches() ? Optional.of((m.group(1) + " " + m.group(2)).strip()) : Optional.empty();
    }
}
