package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.rules.RuleDocs;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes the report as SARIF 2.1.0 for CI (code scanning, review bots): one result per finding,
 * rule metadata from each rule's page, and locations at the application frames involved (where a
 * class maps to a source file) and at the dump file and line each fact was read from.
 */
public final class SarifWriter {

    static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    private SarifWriter() {
    }

    public static ObjectNode build(ObjectNode report) {
        ObjectNode root = ReportModel.MAPPER.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "lockscope");
        driver.put("version", report.path("version").asText());
        driver.put("semanticVersion", semantic(report.path("version").asText()));
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new HashMap<>();
        for (JsonNode r : report.path("rules")) {
            String id = r.path("id").asText();
            ruleIndex.put(id, rules.size());
            ObjectNode rule = rules.addObject();
            rule.put("id", id);
            // a name a person reads, other than the id (SARIF1001), even where the id is one word
            rule.put("name", "Lockscope" + camel(id));
            rule.putObject("shortDescription").put("text", r.path("summary").asText());
            rule.putObject("fullDescription").put("text", r.path("description").asText(r.path("summary").asText()));
            ObjectNode help = rule.putObject("help");
            String page = RuleDocs.page(id).orElse(r.path("summary").asText());
            help.put("text", r.path("description").asText() + " Run `lockscope explain " + id + "` for the whole page.");
            help.put("markdown", page);
            rule.putObject("defaultConfiguration").put("level", level(r.path("severity").asText()));
            rule.putObject("properties").putArray("tags").add("concurrency").add("locks");
        }
        Map<String, Long> sizes = new HashMap<>();
        for (JsonNode in : report.path("inputs")) {
            sizes.put(in.path("path").asText(), in.path("bytes").asLong());
        }
        ArrayNode results = run.putArray("results");
        for (JsonNode f : report.path("findings")) {
            ObjectNode res = results.addObject();
            String rule = f.path("rule").asText();
            res.put("ruleId", rule);
            if (ruleIndex.containsKey(rule)) {
                res.put("ruleIndex", ruleIndex.get(rule));
            }
            res.put("level", level(f.path("severity").asText()));
            String detail = f.path("detail").asText();
            res.putObject("message").put("text", VisibleText.sarif(f.path("title").asText() + (detail.isEmpty() ? "" : ". " + detail)
                    + " How to fix: " + f.path("hint").asText()));
            ArrayNode locations = res.putArray("locations");
            Set<String> seen = new LinkedHashSet<>();
            for (JsonNode e : f.path("evidence")) {
                sourceLocation(e.path("frame").asText("")).ifPresent(loc -> {
                    if (seen.add(loc.toString())) {
                        loc.putObject("message").put("text", VisibleText.sarif(e.path("text").asText()));
                        locations.add(loc);
                    }
                });
            }
            for (JsonNode e : f.path("evidence")) {
                ObjectNode loc = dumpLocation(e, sizes);
                if (seen.add(loc.toString())) {
                    loc.putObject("message").put("text", VisibleText.sarif(e.path("text").asText()));
                    locations.add(loc);
                }
            }
            res.putObject("partialFingerprints").put("lockscopeFingerprint/v1", f.path("fingerprint").asText());
            ObjectNode props = res.putObject("properties");
            props.put("findingId", f.path("id").asText());
            props.put("jvm", f.path("jvmLabel").asText(f.path("jvm").asText()));
            props.set("threads", f.path("threads").deepCopy());
        }
        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        ArrayNode notifications = invocation.putArray("toolExecutionNotifications");
        for (JsonNode in : report.path("inputs")) {
            String status = in.path("status").asText();
            if (!status.equals("read")) {
                ObjectNode n = notifications.addObject();
                n.put("level", status.equals("failed") ? "error" : status.equals("partial") ? "warning" : "note");
                n.putObject("message").put("text", VisibleText.sarif(in.path("path").asText() + ": " + in.path("message").asText()));
            }
        }
        return root;
    }

    /** Writes the SARIF log; returns whether it replaced a file of that name. */
    public static boolean write(ObjectNode report, Path file) throws IOException {
        ObjectNode sarif = build(report);
        return ReportFile.write(file, out -> ReportModel.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, sarif));
    }

    /** A frame of the application (not the JDK's) as a source location relative to the source root. */
    static java.util.Optional<ObjectNode> sourceLocation(String frame) {
        return AppFrame.ofFrame(frame).map(at -> {
            ObjectNode loc = ReportModel.MAPPER.createObjectNode();
            ObjectNode physical = loc.putObject("physicalLocation");
            ObjectNode artifact = physical.putObject("artifactLocation");
            artifact.put("uri", uri(at.path()));
            artifact.put("uriBaseId", "SRCROOT");
            physical.putObject("region").put("startLine", at.line());
            return loc;
        });
    }

    /**
     * Where in a dump a fact was read: its line in a text dump; in a heap dump or a recording,
     * which have no lines, the whole file as a byte range (SARIF2017 asks every location for a region).
     */
    private static ObjectNode dumpLocation(JsonNode e, Map<String, Long> sizes) {
        ObjectNode loc = ReportModel.MAPPER.createObjectNode();
        ObjectNode physical = loc.putObject("physicalLocation");
        String file = e.path("file").asText();
        physical.putObject("artifactLocation").put("uri", uri(file));
        long line = e.path("line").asLong();
        ObjectNode region = physical.putObject("region");
        if (line > 0) {
            region.put("startLine", line);
        } else {
            // an entry of an archive ("a.zip!/x.hprof") is not an input of its own: its archive's size is not its own
            region.put("byteOffset", 0);
            Long size = sizes.get(file);
            if (size != null && size > 0) {
                region.put("byteLength", size);
            }
        }
        return loc;
    }

    /** A path as a URI reference: relative paths stay relative, absolute ones become file: URIs. */
    static String uri(String path) {
        try {
            if (path.startsWith("/")) {
                return new URI("file", null, path, null).toASCIIString();
            }
            return new URI(null, null, path.replace('\\', '/'), null).toASCIIString();
        } catch (URISyntaxException e) {
            return path.replaceAll("[^\\w./-]", "_");
        }
    }

    static String level(String severity) {
        return switch (severity) {
            case "error" -> "error";
            case "warning" -> "warning";
            default -> "note";
        };
    }

    private static String camel(String id) {
        StringBuilder sb = new StringBuilder();
        for (String part : id.split("-")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }

    private static String semantic(String version) {
        return version.matches("\\d+\\.\\d+\\.\\d+.*") ? version : "0.0.0";
    }
}
