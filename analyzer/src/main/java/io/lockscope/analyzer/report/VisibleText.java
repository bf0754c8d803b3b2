package io.lockscope.analyzer.report;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Text from a dump made safe for a terminal, a web page and a SARIF viewer. Thread names, file names and archive entries are
 * written by whoever wrote the dump; printed raw, an escape sequence in one clears the screen,
 * retitles the window or plants a hyperlink, and a right-to-left override turns the rest of the
 * line around. Control characters (C0 but newline and tab, DEL, C1) are shown as {@code \x1B},
 * and bidirectional controls as {@code <U+202E>}, so a person sees that they are there. The HTML
 * report shows them the same way (after HTML escaping), and SARIF messages also have their link
 * syntax escaped, since SARIF viewers turn {@code [text](target)} in a plain message into a link.
 */
public final class VisibleText {

    private VisibleText() {
    }

    /** {@code s} with its control and bidirectional characters made visible; newlines and tabs kept. */
    public static String clean(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String visible = visible(c);
            if (visible == null) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            out.append(visible);
        }
        return out == null ? s : out.toString();
    }

    /** As {@link #clean}, and newlines too: for one value on a line of its own. */
    public static String oneLine(String s) {
        return clean(s.replace("\r", "\\r").replace("\n", "\\n"));
    }

    /** How a character shows, or null when it may be printed as it is. */
    static String visible(char c) {
        if (c == '\n' || c == '\t') {
            return null;
        }
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
            return String.format("\\x%02X", (int) c);
        }
        if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029) {
            return String.format("<U+%04X>", (int) c);
        }
        return null;
    }

    /**
     * A SARIF plain-text message: visible controls, and backslash, {@code [} and {@code ]} escaped
     * with a backslash as SARIF 2.1.0 section 3.11.6 asks, so a dump's text never becomes an embedded link.
     */
    public static String sarif(String s) {
        return clean(s).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]");
    }

    /** A writer that makes everything written through it safe, as {@link #clean} does. */
    public static Writer filter(Writer out) {
        return new FilterWriter(out) {
            @Override
            public void write(int c) throws IOException {
                String v = visible((char) c);
                if (v == null) {
                    out.write(c);
                } else {
                    out.write(v);
                }
            }

            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                write(new String(buf, off, len), 0, len);
            }

            @Override
            public void write(String str, int off, int len) throws IOException {
                out.write(clean(str.substring(off, off + len)));
            }
        };
    }
}
