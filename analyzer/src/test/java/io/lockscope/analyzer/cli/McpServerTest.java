package io.lockscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockscope.analyzer.Dumps;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockscope mcp} started as a process of its own and talked to with the MCP SDK's own
 * client over stdin and stdout, as an assistant's host does.
 */
class McpServerTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static McpSyncClient client() {
        String java = ProcessHandle.current().info().command().orElse("java");
        ServerParameters server = ServerParameters.builder(java)
                .args("-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "mcp").build();
        McpSyncClient client = McpClient.sync(new StdioClientTransport(server, new JacksonMcpJsonMapper(JSON)))
                .requestTimeout(Duration.ofSeconds(120)).initializationTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        return client;
    }

    private static JsonNode data(McpSchema.CallToolResult r) {
        return JSON.valueToTree(r.structuredContent());
    }

    @Test
    void anAssistantAnalyzesDumpsAndReadsTheFindingsAsData() {
        try (McpSyncClient client = client()) {
            Set<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
            assertEquals(Set.of("analyze", "explain", "rules"), tools);

            McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("analyze", Map.of(
                    "paths", List.of(Dumps.sample("jdk17/monitor-deadlock.txt").toString(), Dumps.sample("jdk17/dead-owner.txt").toString()),
                    "output", dir.toString())));
            assertFalse(r.isError(), r.content().toString());
            JsonNode d = data(r);
            assertEquals(2, d.path("summary").path("counts").path("error").asInt(), d.path("summary").toString());
            JsonNode deadlock = null;
            for (JsonNode f : d.path("findings")) {
                if (f.path("rule").asText().equals("deadlock")) {
                    deadlock = f;
                }
            }
            assertTrue(deadlock != null, d.toString());
            Set<String> threads = java.util.stream.StreamSupport.stream(deadlock.path("threads").spliterator(), false)
                    .map(JsonNode::asText).collect(Collectors.toSet());
            assertEquals(Set.of("stocker", "auditor", "closer"), threads);
            assertTrue(deadlock.path("evidence").size() > 0);
            List<String> reports = java.util.stream.StreamSupport.stream(d.path("reports").spliterator(), false).map(JsonNode::asText).toList();
            assertTrue(reports.stream().anyMatch(p -> p.endsWith("lockscope-report.json")) && reports.stream().allMatch(p -> Files.exists(Path.of(p))),
                    reports.toString());
            // the same data as text, for clients that read text only
            assertTrue(((McpSchema.TextContent) r.content().get(0)).text().contains("\"rule\":\"deadlock\""));

            McpSchema.CallToolResult bad = client.callTool(new McpSchema.CallToolRequest("analyze",
                    Map.of("paths", List.of(dir.resolve("no-such-dump.txt").toString()))));
            assertTrue(bad.isError());
            assertTrue(data(bad).path("error").asText().startsWith("no such file or folder: "), data(bad).toString());
            // "-" is standard input on the command line; here standard input is the protocol, which must not be read as a dump
            McpSchema.CallToolResult dash = client.callTool(new McpSchema.CallToolRequest("analyze", Map.of("paths", List.of("-"))));
            assertTrue(dash.isError());
            assertEquals("no such file or folder: -", data(dash).path("error").asText());

            McpSchema.CallToolResult page = client.callTool(new McpSchema.CallToolRequest("explain", Map.of("rule", "leaked-lock")));
            assertTrue(data(page).path("page").asText().startsWith("# leaked-lock"), data(page).toString());
            McpSchema.CallToolResult rules = client.callTool(new McpSchema.CallToolRequest("rules", Map.of()));
            assertEquals(9, data(rules).path("rules").size());
        }
    }
}
