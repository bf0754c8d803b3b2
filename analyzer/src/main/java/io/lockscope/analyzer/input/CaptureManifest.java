package io.lockscope.analyzer.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest {@code lockscope capture} writes beside the dumps it took, said in a line for the
 * report's list of inputs: which JVM, when, with which options, and what could not be taken.
 */
final class CaptureManifest {

    private CaptureManifest() {
    }

    static String describe(String json) {
        try {
            JsonNode m = new ObjectMapper().readTree(json);
            JsonNode t = m.path("target");
            JsonNode asked = m.path("asked");
            StringBuilder sb = new StringBuilder("captured by lockscope capture from pid ").append(t.path("pid").asLong());
            if (!t.path("display").asText().isEmpty()) {
                sb.append(" (").append(t.path("display").asText().split(" ")[0]).append(')');
            }
            sb.append(" at ").append(m.path("started").asText()).append(" with --dumps ").append(asked.path("dumps").asInt())
                    .append(" --interval ").append(asked.path("interval").asDouble());
            if (asked.path("recording").asInt() > 0) {
                sb.append(" --recording ").append(asked.path("recording").asInt());
            }
            if (asked.path("heap").asBoolean()) {
                sb.append(" --heap");
            }
            List<String> missed = new ArrayList<>();
            for (JsonNode s : m.path("steps")) {
                if (s.has("error")) {
                    missed.add(s.path("what").asText() + " (" + s.path("error").asText() + ")");
                }
            }
            if (!missed.isEmpty()) {
                sb.append("; could not take: ").append(String.join(", ", missed));
            }
            return sb.toString();
        } catch (java.io.IOException e) {
            return "lockscope capture's manifest, unreadable: " + e.getMessage();
        }
    }
}
