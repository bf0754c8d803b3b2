package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The report as GitLab's Code Quality report (the Code Climate issue subset GitLab documents):
 * an array of issues, each with a description, the rule as {@code check_name}, a fingerprint that
 * stays the same from run to run (from the finding's own), a severity (error: critical, warning:
 * major, info: info) and a location: the application frame the finding points at, or else the
 * dump file and line it was read from.
 */
public final class CodeQualityWriter {

    private CodeQualityWriter() {
    }

    public static ArrayNode build(ObjectNode report) {
        ArrayNode issues = ReportModel.MAPPER.createArrayNode();
        for (JsonNode f : report.path("findings")) {
            ObjectNode i = issues.addObject();
            i.put("type", "issue");
            i.put("check_name", "lockscope/" + f.path("rule").asText());
            i.put("description", VisibleText.oneLine(f.path("title").asText()));
            i.putArray("categories").add("Bug Risk");
            i.put("severity", switch (f.path("severity").asText()) {
                case "error" -> "critical";
                case "warning" -> "major";
                default -> "info";
            });
            i.put("fingerprint", md5(f.path("fingerprint").asText() + "|" + f.path("jvmLabel").asText()));
            ObjectNode location = i.putObject("location");
            AppFrame at = AppFrame.of(f).orElse(new AppFrame("lockscope-report.json", 1, false));
            location.put("path", at.path());
            location.putObject("lines").put("begin", at.line());
            i.putObject("content").put("body", VisibleText.clean(f.path("detail").asText() + "\n\nHow to fix: " + f.path("hint").asText()));
        }
        return issues;
    }

    public static boolean write(ObjectNode report, Path file) throws IOException {
        ArrayNode issues = build(report);
        return ReportFile.write(file, out -> ReportModel.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, issues));
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
