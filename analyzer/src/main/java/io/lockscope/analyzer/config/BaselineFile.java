package io.lockscope.analyzer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.engine.Baseline;
import io.lockscope.engine.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A baseline file: the findings already known, by rule and fingerprint, with their titles so
 * that a person reviewing it in a diff knows what each line is.
 *
 * <pre>{"tool": "lockscope", "baselineVersion": 1, "findings": [{"rule", "fingerprint", "title"}]}</pre>
 */
public final class BaselineFile {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BaselineFile() {
    }

    public static Baseline read(Path file) throws ConfigFile.ConfigException {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigFile.ConfigException(file + ": cannot read the baseline: " + e.getMessage().split("\n")[0]);
        }
        if (root == null || !root.path("findings").isArray()) {
            throw new ConfigFile.ConfigException(file + ": not a lockscope baseline (no 'findings' list); "
                    + "make one with --write-baseline");
        }
        Set<String> keys = new HashSet<>();
        for (JsonNode f : root.path("findings")) {
            keys.add(f.path("rule").asText() + "|" + f.path("fingerprint").asText());
        }
        return new Baseline(keys);
    }

    public static void write(Path file, List<Finding> findings) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("tool", "lockscope");
        root.put("baselineVersion", 1);
        ArrayNode list = root.putArray("findings");
        findings.stream().map(f -> List.of(f.rule(), f.fingerprint(), f.title())).distinct()
                .sorted((a, b) -> (a.get(0) + a.get(1)).compareTo(b.get(0) + b.get(1)))
                .forEach(f -> {
                    ObjectNode n = list.addObject();
                    n.put("rule", f.get(0));
                    n.put("fingerprint", f.get(1));
                    n.put("title", f.get(2));
                });
        io.lockscope.analyzer.report.ReportFile.write(file, out -> MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, root));
    }
}
