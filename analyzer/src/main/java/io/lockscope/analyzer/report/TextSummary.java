package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockscope.engine.Words;
import java.io.PrintWriter;
import java.util.function.UnaryOperator;

/** The terminal summary: one line per finding, one per input that was not read, then counts. */
public final class TextSummary {

    private TextSummary() {
    }

    /**
     * Prints the summary; {@code safe} makes each value from a dump (names, messages, titles) fit
     * for one line of a terminal.
     */
    public static void print(JsonNode report, PrintWriter out, boolean verbose, UnaryOperator<String> safe) {
        for (JsonNode in : report.path("inputs")) {
            String status = in.path("status").asText();
            if (verbose || !status.equals("read")) {
                out.printf("%-7s %s: %s (%s)%n", status, safe.apply(in.path("path").asText()), safe.apply(in.path("message").asText()),
                        in.path("format").asText());
            }
        }
        for (JsonNode f : report.path("findings")) {
            out.printf("%-7s %-22s %s  [%s, %s]%n", f.path("severity").asText().toUpperCase(), f.path("rule").asText(),
                    safe.apply(f.path("title").asText()), safe.apply(f.path("jvmLabel").asText(f.path("jvm").asText())), f.path("id").asText());
            if (verbose) {
                for (JsonNode e : f.path("evidence")) {
                    out.printf("          %s  (%s)%n", safe.apply(e.path("text").asText()), safe.apply(e.path("source").asText()));
                }
            }
        }
        JsonNode s = report.path("summary");
        JsonNode c = s.path("counts");
        long read = 0;
        long notRead = 0;
        for (JsonNode in : report.path("inputs")) {
            String st = in.path("status").asText();
            if (st.equals("read") || st.equals("partial")) {
                read++;
            } else {
                notRead++;
            }
        }
        out.printf("%s, %s, %d info; %d of %s read (%s, %s)%s%n",
                Words.count(c.path("error").asInt(), "error"), Words.count(c.path("warning").asInt(), "warning"), c.path("info").asInt(),
                read, Words.count(read + notRead, "input"), Words.count(s.path("snapshots").asInt(), "dump"),
                Words.count(s.path("jvms").asInt(), "JVM"), notRead > 0 ? ", " + notRead + " not read" : "");
    }
}
