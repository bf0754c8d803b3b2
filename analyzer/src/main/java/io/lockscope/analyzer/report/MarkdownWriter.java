package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.engine.Words;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A short summary in Markdown, for a pull request comment or GitHub's job summary: the counts, the
 * verdict of each JVM, and a table of the findings that links each one to its place in the HTML
 * report. Text from a dump is escaped so that it cannot become markup, a link or an image.
 */
public final class MarkdownWriter {

    /** Rows of the findings table at most; the HTML report has them all. */
    static final int MAX_ROWS = 50;

    private MarkdownWriter() {
    }

    public static String build(ObjectNode report, String htmlName) {
        StringBuilder md = new StringBuilder();
        JsonNode counts = report.path("summary").path("counts");
        int errors = counts.path("error").asInt();
        int warnings = counts.path("warning").asInt();
        md.append("## lockscope: ").append(errors == 0 && warnings == 0 ? "no lock problems found" : Words.count(errors, "error")
                + ", " + Words.count(warnings, "warning")).append("\n\n");
        md.append(Words.count(report.path("summary").path("inputs").asInt(), "input")).append(", ")
                .append(Words.count(report.path("summary").path("snapshots").asInt(), "dump")).append(", ")
                .append(Words.count(report.path("summary").path("jvms").asInt(), "JVM")).append(".\n\n");
        for (JsonNode v : report.path("summary").path("verdicts")) {
            md.append("- **").append(escape(v.path("label").asText())).append("**: ").append(icon(v.path("severity").asText()))
                    .append(' ').append(escape(v.path("text").asText())).append('\n');
        }
        JsonNode findings = report.path("findings");
        if (findings.size() > 0) {
            md.append("\n| | rule | finding | JVM |\n| --- | --- | --- | --- |\n");
            int n = 0;
            for (JsonNode f : findings) {
                if (n++ == MAX_ROWS) {
                    md.append("\n").append(findings.size() - MAX_ROWS).append(" more in the HTML report.\n");
                    break;
                }
                md.append("| ").append(icon(f.path("severity").asText())).append(" | `").append(f.path("rule").asText())
                        .append("` | [").append(escape(f.path("title").asText())).append("](").append(htmlName).append('#')
                        .append(f.path("id").asText()).append(") | ").append(escape(f.path("jvmLabel").asText())).append(" |\n");
            }
        }
        return md.toString();
    }

    public static boolean write(ObjectNode report, Path file, String htmlName) throws IOException {
        String md = build(report, htmlName);
        return ReportFile.write(file, out -> {
            PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.print(md);
            w.flush();
        });
    }

    /** Dump text in Markdown: control characters visible, markup characters escaped, one line. */
    static String escape(String s) {
        String t = VisibleText.oneLine(s);
        StringBuilder out = new StringBuilder(t.length() + 8);
        for (char c : t.toCharArray()) {
            if ("\\`*_[]<>|~&!".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String icon(String severity) {
        return switch (severity) {
            case "error" -> "❌ error";
            case "warning" -> "⚠️ warning";
            case "info" -> "ℹ️ info";
            default -> "✅";
        };
    }

}
