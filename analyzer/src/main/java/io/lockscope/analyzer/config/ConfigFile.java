package io.lockscope.analyzer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lockscope.engine.Rule;
import io.lockscope.engine.RuleSettings;
import io.lockscope.engine.Severity;
import io.lockscope.engine.Threshold;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code lockscope.yml} (or the same in JSON): rules on and off, severities, thresholds,
 * and frame patterns. Anything it does not know is an error naming the file and the key, so a
 * typo never silently does nothing.
 *
 * <pre>
 * rules:
 *   contention-hotspot:
 *     severity: info        # info | warning | error
 *     min-waiters: 8        # a threshold, as `lockscope explain contention-hotspot` lists them
 *   stuck-owner:
 *     enabled: false
 * patterns:
 *   idle-frames: [com.example.jobs.JobQueue.next]       # frames where a thread waits for work
 *   blocking-frames: [com.example.db.Client.query]      # frames that block on the outside world
 * </pre>
 */
public final class ConfigFile {

    static final Set<String> PATTERN_KINDS = Set.of("idle-frames", "blocking-frames");

    private ConfigFile() {
    }

    /** A config file that cannot be used, with the reason. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }

    public static RuleSettings load(Path file, List<Rule> rules) throws ConfigException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + firstLine(e.getMessage()));
        }
        RuleSettings settings = RuleSettings.defaults();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return settings;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": expected a mapping with 'rules' and 'patterns'");
        }
        Map<String, Rule> byId = rules.stream().collect(Collectors.toMap(r -> r.info().id(), r -> r));
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> top = it.next();
            switch (top.getKey()) {
                case "rules" -> rules(file, top.getValue(), byId, settings);
                case "patterns" -> patterns(file, top.getValue(), settings);
                default -> throw new ConfigException(file + ": unknown key '" + top.getKey() + "'; expected 'rules' or 'patterns'");
            }
        }
        return settings;
    }

    private static void rules(Path file, JsonNode node, Map<String, Rule> byId, RuleSettings settings) throws ConfigException {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String id = e.getKey();
            Rule rule = byId.get(id);
            if (rule == null) {
                throw new ConfigException(file + ": rules." + id + ": no such rule; the rules are: "
                        + String.join(", ", byId.keySet().stream().sorted().toList()));
            }
            for (Iterator<Map.Entry<String, JsonNode>> f = e.getValue().fields(); f.hasNext();) {
                Map.Entry<String, JsonNode> kv = f.next();
                String key = kv.getKey();
                JsonNode v = kv.getValue();
                String where = file + ": rules." + id + "." + key;
                switch (key) {
                    case "enabled" -> {
                        if (!v.isBoolean()) {
                            throw new ConfigException(where + ": expected true or false");
                        }
                        if (!v.asBoolean()) {
                            settings.disable(id);
                        }
                    }
                    case "severity" -> {
                        try {
                            settings.severity(id, Severity.parse(v.asText()));
                        } catch (IllegalArgumentException ex) {
                            throw new ConfigException(where + ": '" + v.asText() + "' is not one of info, warning, error");
                        }
                    }
                    default -> {
                        Threshold t = rule.thresholds().stream().filter(x -> x.key().equals(key)).findFirst()
                                .orElseThrow(() -> new ConfigException(where + ": unknown setting; " + id + " has enabled, severity"
                                        + rule.thresholds().stream().map(x -> ", " + x.key()).collect(Collectors.joining())));
                        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
                            throw new ConfigException(where + ": expected a whole number of " + t.unit());
                        }
                        settings.threshold(id, key, v.asLong());
                    }
                }
            }
        }
    }

    private static void patterns(Path file, JsonNode node, RuleSettings settings) throws ConfigException {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!PATTERN_KINDS.contains(e.getKey())) {
                throw new ConfigException(file + ": patterns." + e.getKey() + ": unknown; expected one of "
                        + PATTERN_KINDS.stream().sorted().collect(Collectors.joining(", ")));
            }
            List<String> prefixes = new ArrayList<>();
            for (JsonNode p : e.getValue()) {
                prefixes.add(p.asText().trim());
            }
            settings.patterns(e.getKey().toLowerCase(Locale.ROOT), prefixes);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
