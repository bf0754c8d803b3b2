package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a finding points in the source: the first application frame of its evidence
 * ({@code pkg.Class.method(File.java:95)}, not the JDK's), as a path relative to the source root
 * ({@code pkg/File.java}) and a line; or, when no frame is the application's, the dump file and
 * line the first fact was read from. What CI tools annotate.
 */
record AppFrame(String path, long line, boolean inSource) {

    private static final Pattern FRAME = Pattern.compile("^([\\w$.]+)\\.[\\w$<>]+\\((?:[^/()]*/)?([\\w$-]+\\.(?:java|kt|scala|groovy)):(\\d+)\\)$");

    /** The source location of a finding of the report's JSON, or its first piece of evidence. */
    static Optional<AppFrame> of(JsonNode finding) {
        for (JsonNode e : finding.path("evidence")) {
            Optional<AppFrame> at = ofFrame(e.path("frame").asText(""));
            if (at.isPresent()) {
                return at;
            }
        }
        for (JsonNode e : finding.path("evidence")) {
            if (!e.path("file").asText("").isEmpty()) {
                return Optional.of(new AppFrame(e.path("file").asText(), Math.max(1, e.path("line").asLong(1)), false));
            }
        }
        return Optional.empty();
    }

    /** A frame of the application (not the JDK's) as its source file, relative to the source root, and line. */
    static Optional<AppFrame> ofFrame(String frame) {
        Matcher m = FRAME.matcher(frame);
        if (!m.matches()) {
            return Optional.empty();
        }
        String cls = m.group(1);
        if (io.lockscope.model.Frame.isJdkClass(cls)) {
            return Optional.empty();
        }
        int dot = cls.lastIndexOf('.');
        String dir = dot < 0 ? "" : cls.substring(0, dot).replace('.', '/') + "/";
        return Optional.of(new AppFrame(dir + m.group(2), Long.parseLong(m.group(3)), true));
    }
}
