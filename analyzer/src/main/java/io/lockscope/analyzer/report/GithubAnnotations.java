package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/**
 * GitHub Actions workflow commands, one annotation per finding: {@code ::error file=...,line=...,
 * title=...::message}, at the application frame the finding points at (a path relative to the
 * source root, which the job maps to its checkout); a finding without such a frame is annotated
 * without a file. Values are escaped as the runner reads them, so a dump's text cannot end the
 * command or start another.
 */
public final class GithubAnnotations {

    private GithubAnnotations() {
    }

    public static void print(ObjectNode report, PrintWriter out) {
        for (JsonNode f : report.path("findings")) {
            String level = switch (f.path("severity").asText()) {
                case "error" -> "error";
                case "warning" -> "warning";
                default -> "notice";
            };
            StringBuilder cmd = new StringBuilder("::").append(level).append(' ');
            AppFrame.of(f).filter(AppFrame::inSource).ifPresent(at ->
                    cmd.append("file=").append(property(at.path())).append(",line=").append(at.line()).append(','));
            cmd.append("title=").append(property("lockscope " + f.path("rule").asText()));
            cmd.append("::").append(data(f.path("title").asText() + " [" + f.path("jvmLabel").asText() + "]"));
            out.println(cmd);
        }
        out.flush();
    }

    /** A command's message, as the runner unescapes it: %, CR and LF encoded; controls made visible. */
    static String data(String s) {
        return VisibleText.clean(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A command's property value: as {@link #data}, and the separators ':' and ',' too. */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
