package io.lockscope.analyzer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.engine.Rule;
import io.lockscope.engine.RuleEngine;
import io.lockscope.rules.RuleDocs;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code lockscope mcp}: a Model Context Protocol server on standard input and output, for AI
 * assistants. Its tools are {@code analyze} (paths in; the verdicts, the findings with their
 * threads, locks and evidence, and the paths of the reports written out: the JSON report's own
 * data, never prose to be parsed), {@code explain} (a rule's page) and {@code rules}. Standard
 * output carries the protocol only: everything the analysis would print is kept from it.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = "Serve the Model Context Protocol on stdin and stdout, for AI assistants: tools analyze, explain, rules.",
        footer = ExitCode.HELP)
final class McpCommand implements Callable<Integer> {

    /**
     * Made on first use: picocli makes every subcommand's object for any command line (a --version
     * too), and making a mapper loads some 300 classes, a fifth of a second.
     */
    private static final class Json {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    }
    /** Tool calls being answered: the server ends after the last one. */
    private static final java.util.concurrent.atomic.AtomicInteger IN_FLIGHT = new java.util.concurrent.atomic.AtomicInteger();

    private static final String ANALYZE_SCHEMA = """
            {"type": "object", "properties": {
              "paths": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                        "description": "thread dumps, heap dumps, recordings, archives or folders of them"},
              "output": {"type": "string", "description": "folder for the reports (default: a new temporary folder)"},
              "rules": {"type": "array", "items": {"type": "string"}, "description": "rule ids to run (default: all)"},
              "formats": {"type": "array", "items": {"type": "string"},
                          "description": "report files to write besides JSON: html, sarif, junit, codequality, markdown (default: html)"}
            }, "required": ["paths"]}""";
    private static final String EXPLAIN_SCHEMA = """
            {"type": "object", "properties": {"rule": {"type": "string", "description": "a rule id, as the rules tool lists them"}},
             "required": ["rule"]}""";
    private static final String NO_ARGUMENTS = "{\"type\": \"object\", \"properties\": {}}";

    @Override
    public Integer call() throws Exception {
        McpJsonMapper json = new JacksonMcpJsonMapper(Json.MAPPER);
        CountDownLatch closed = new CountDownLatch(1);
        // the client closing our stdin ends the server, once every request it sent has its answer written
        java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong answers = new java.util.concurrent.atomic.AtomicLong();
        java.io.InputStream in = new java.io.FilterInputStream(System.in) {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            private void saw(byte[] buf, int off, int n) {
                for (int i = off; i < off + n; i++) {
                    if (buf[i] == '\n') {
                        String message = line.toString(java.nio.charset.StandardCharsets.UTF_8);
                        if (message.contains("\"method\"") && message.contains("\"id\"")) {
                            requests.incrementAndGet();
                        }
                        line.reset();
                    } else if (line.size() < 1 << 20) {
                        line.write(buf[i]);
                    }
                }
            }

            @Override
            public int read() throws java.io.IOException {
                int b = super.read();
                if (b < 0) {
                    closed.countDown();
                } else {
                    saw(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws java.io.IOException {
                int n = super.read(buf, off, len);
                if (n < 0) {
                    closed.countDown();
                } else {
                    saw(buf, off, n);
                }
                return n;
            }
        };
        java.io.OutputStream out = new java.io.FilterOutputStream(System.out) {
            @Override
            public void write(int b) throws java.io.IOException {
                super.write(b);
                if (b == '\n') {
                    flush();
                    answers.incrementAndGet();
                }
            }

            @Override
            public void write(byte[] buf, int off, int len) throws java.io.IOException {
                out.write(buf, off, len);
                for (int i = off; i < off + len; i++) {
                    if (buf[i] == '\n') {
                        out.flush();
                        answers.incrementAndGet();
                    }
                }
            }
        };
        StdioServerTransportProvider transport = new StdioServerTransportProvider(json, in, out);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("lockscope", LockscopeCommand.version())
                .instructions("lockscope analyzes JVM thread dumps, heap dumps and JFR recordings for lock problems "
                        + "(deadlocks, orphaned and leaked locks, blocking while holding a lock, lock-order inversions). "
                        + "Call analyze with the paths of the files; explain a rule's findings with explain.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tool(json, "analyze", "Analyze JVM dumps for lock problems: verdicts, findings with threads, locks and "
                        + "evidence, and the reports written", ANALYZE_SCHEMA, McpCommand::analyze),
                        tool(json, "explain", "A rule's page: what it finds, why it matters, how to fix it", EXPLAIN_SCHEMA,
                                McpCommand::explain),
                        tool(json, "rules", "The rules: id, default severity, what each finds", NO_ARGUMENTS, a -> rules()))
                .build();
        // the transport reads stdin on threads of its own; this one waits for the client to close it, then lets
        // the answers to what it asked last be written before the process ends
        closed.await();
        // (the SDK drops the session at the end of its input: a client that closes it early loses what was still running)
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while ((answers.get() < requests.get() || IN_FLIGHT.get() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        server.closeGracefully();
        return ExitCode.OK;
    }

    /** A tool's answer: its data as structured content and, for clients that read text only, the same as JSON text. */
    record Answer(JsonNode data, boolean error) {
    }

    private static McpServerFeatures.SyncToolSpecification tool(McpJsonMapper json, String name, String description,
            String schema, java.util.function.Function<Map<String, Object>, Answer> handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description).inputSchema(json, schema).build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            Answer a;
            IN_FLIGHT.incrementAndGet();
            try {
                a = handler.apply(request.arguments() == null ? Map.of() : request.arguments());
            } catch (RuntimeException e) {
                ObjectNode err = Json.MAPPER.createObjectNode();
                err.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                a = new Answer(err, true);
            } finally {
                IN_FLIGHT.decrementAndGet();
            }
            String text = a.data().toString();
            return McpSchema.CallToolResult.builder().addTextContent(text)
                    .structuredContent(Json.MAPPER.convertValue(a.data(), Object.class)).isError(a.error()).build();
        }).build();
    }

    static Answer analyze(Map<String, Object> args) {
        List<String> paths = strings(args.get("paths"));
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (paths.isEmpty()) {
            out.put("error", "no paths given: pass the dump files or folders as \"paths\"");
            return new Answer(out, true);
        }
        List<String> missing = paths.stream().filter(p -> !Files.exists(Path.of(p))).toList();
        if (!missing.isEmpty()) {
            out.put("error", "no such file or folder: " + String.join(", ", missing));
            return new Answer(out, true);
        }
        try {
            Path dir = args.get("output") instanceof String s && !s.isBlank() ? Path.of(s)
                    : Files.createTempDirectory("lockscope-mcp-");
            List<String> formats = new ArrayList<>(List.of("json"));
            List<String> asked = strings(args.get("formats"));
            formats.addAll(asked.isEmpty() ? List.of("html") : asked.stream().filter(f -> !f.equals("json") && !f.equals("text")
                    && !f.equals("github")).toList());
            List<String> cli = new ArrayList<>(List.of("analyze"));
            // "-" is standard input on the command line, and here standard input is the protocol: a file of that name
            cli.addAll(paths.stream().map(p -> p.equals("-") ? "./-" : p).toList());
            cli.addAll(List.of("-o", dir.toString(), "--format", String.join(",", formats), "--fail-on", "never"));
            List<String> rules = strings(args.get("rules"));
            if (!rules.isEmpty()) {
                cli.addAll(List.of("--rules", String.join(",", rules)));
            }
            // the analysis prints nothing to the protocol's stdout: what it says is kept and returned
            CommandLine cl = LockscopeCommand.commandLine();
            StringWriter said = new StringWriter();
            cl.setOut(new PrintWriter(said, true));
            cl.setErr(new PrintWriter(said, true));
            int exit = cl.execute(cli.toArray(String[]::new));
            Path json = dir.resolve("lockscope-report.json");
            if (exit > ExitCode.FINDINGS || !Files.exists(json)) {
                out.put("error", said.toString().strip());
                out.put("exitCode", exit);
                return new Answer(out, true);
            }
            JsonNode report = Json.MAPPER.readTree(json.toFile());
            out.set("summary", report.path("summary"));
            out.set("findings", report.path("findings"));
            out.set("inputs", report.path("inputs"));
            ArrayNode written = out.putArray("reports");
            for (String f : formats) {
                String file = switch (f) {
                    case "junit" -> "lockscope-report.junit.xml";
                    case "codequality" -> "lockscope-report.codequality.json";
                    case "markdown" -> "lockscope-report.md";
                    default -> "lockscope-report." + f;
                };
                if (Files.exists(dir.resolve(file))) {
                    written.add(dir.resolve(file).toAbsolutePath().toString());
                }
            }
            return new Answer(out, false);
        } catch (java.io.IOException e) {
            out.put("error", "cannot analyze: " + e.getMessage());
            return new Answer(out, true);
        }
    }

    static Answer explain(Map<String, Object> args) {
        String rule = args.get("rule") instanceof String s ? s : "";
        ObjectNode out = Json.MAPPER.createObjectNode();
        java.util.Optional<String> page = RuleDocs.page(rule);
        if (page.isEmpty()) {
            out.put("error", "no rule '" + rule + "'; the rules are: "
                    + String.join(", ", RuleEngine.builtIn().stream().map(r -> r.info().id()).toList()));
            return new Answer(out, true);
        }
        out.put("rule", rule);
        out.put("page", page.get());
        return new Answer(out, false);
    }

    static Answer rules() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("rules");
        for (Rule r : RuleEngine.builtIn()) {
            ObjectNode o = list.addObject();
            o.put("id", r.info().id());
            o.put("severity", r.info().defaultSeverity().id());
            o.put("summary", r.info().summary());
        }
        return new Answer(out, false);
    }

    private static List<String> strings(Object o) {
        if (o instanceof List<?> l) {
            return l.stream().filter(x -> x != null).map(Object::toString).toList();
        }
        if (o instanceof String s && !s.isBlank()) {
            return List.of(s);
        }
        return List.of();
    }
}
