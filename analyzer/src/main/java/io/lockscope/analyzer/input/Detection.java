package io.lockscope.analyzer.input;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A file's format as its content shows it, whether it is gzip-compressed, and the layers its
 * text sits in (outermost first), which the reader takes off as it reads.
 */
public record Detection(InputFormat format, boolean gzip, String note, Set<TextLayer> layers) {

    /** What a text was wrapped in on its way to the file, outermost first, with what the input's message says of it. */
    public enum TextLayer {
        /** UTF-16, little-endian, with a byte-order mark: Windows PowerShell 5's redirect. */
        UTF16LE("UTF-16LE text, as Windows PowerShell writes a redirect"),
        /** UTF-16, big-endian, with a byte-order mark. */
        UTF16BE("UTF-16BE text"),
        /** UTF-8 with a byte-order mark. */
        UTF8_MARK(""),
        /** A few lines of text before a JSON document (a tool's notice, a prompt): passed over. */
        TEXT_BEFORE_JSON("lines of text before the JSON passed over (line numbers are the JSON's)"),
        /** Docker's json-file log: the text is in the entries' "log" fields. */
        DOCKER_JSON("Docker's json-file log, read from its \"log\" fields"),
        /** Jolokia's JSON response: the text is its "value" string. */
        JOLOKIA_VALUE("Jolokia's JSON response, read from its \"value\" (line numbers are the dump's in it)"),
        /** jfr print --json of a recording: the text is its jdk.ThreadDump events' "result" strings. */
        JFR_PRINT_JSON("jfr print --json of a recording, read from its jdk.ThreadDump events' \"result\" (line numbers are the dumps' "
                + "in them)");

        private final String note;

        TextLayer(String note) {
            this.note = note;
        }

        /** What the input's message says of it; empty if nothing. */
        public String note() {
            return note;
        }
    }

    public Detection {
        // in the enum's order, outermost first, which is the order the reader takes them off in
        layers = layers.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(layers));
    }

    public Detection(InputFormat format, boolean gzip, String note) {
        this(format, gzip, note, Set.of());
    }

    /** The same, its text inside {@code layer} too. */
    Detection under(TextLayer layer) {
        EnumSet<TextLayer> all = EnumSet.of(layer);
        all.addAll(layers);
        return new Detection(format, gzip, note, all);
    }

    /** The same, gzip-compressed. */
    Detection gzipped() {
        return new Detection(format, true, note, layers);
    }
}
