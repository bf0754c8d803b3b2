package io.lockscope.analyzer.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.HTMLOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the report tree into one self-contained HTML file with FreeMarker. Templates come from
 * the report-templates module inside the jar; a folder given with --templates is searched first.
 * Everything from a dump passes FreeMarker's HTML auto-escaping.
 */
public final class HtmlReportWriter {

    static final String TEMPLATE_ROOT = "/io/lockscope/report";
    static final String MAIN_TEMPLATE = "report.ftlh";

    private final Configuration config;

    public HtmlReportWriter(Optional<Path> templates) throws IOException {
        config = new Configuration(Configuration.VERSION_2_3_34);
        TemplateLoader builtIn = new ClassTemplateLoader(HtmlReportWriter.class, TEMPLATE_ROOT);
        if (templates.isPresent()) {
            config.setTemplateLoader(new MultiTemplateLoader(new TemplateLoader[] {
                new FileTemplateLoader(templates.get().toFile()), builtIn}));
        } else {
            config.setTemplateLoader(builtIn);
        }
        config.setDefaultEncoding("UTF-8");
        config.setOutputFormat(HTMLOutputFormat.INSTANCE);
        config.setRecognizeStandardFileExtensions(true);
        config.setAutoEscapingPolicy(Configuration.ENABLE_IF_SUPPORTED_AUTO_ESCAPING_POLICY);
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setFallbackOnNullLoopVariable(false);
    }

    private static String script() throws IOException {
        try (InputStream in = HtmlReportWriter.class.getResourceAsStream(TEMPLATE_ROOT + "/report.js")) {
            if (in == null) {
                throw new IOException("report.js missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T visible(T value) {
        if (value instanceof String str) {
            return (T) VisibleText.clean(str);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, visible(v)));
            return (T) out;
        }
        if (value instanceof java.util.List<?> l) {
            return (T) l.stream().map(HtmlReportWriter::visible).collect(java.util.stream.Collectors.toList());
        }
        return value;
    }

    /** Writes the page; returns whether it replaced a file of that name. */
    public boolean write(ObjectNode report, Path file) throws IOException {
        Map<String, Object> model = new HashMap<>();
        // FreeMarker escapes HTML; control and bidirectional characters from a dump are made visible first, so a
        // right-to-left override in a thread name cannot turn the text around it
        model.put("report", visible(ReportModel.MAPPER.convertValue(report, new TypeReference<Map<String, Object>>() { })));
        // the report's one script is ours; the page's Content-Security-Policy allows it by its hash and nothing else
        String script = script();
        model.put("script", script);
        model.put("scriptHash", "sha256-" + Base64.getEncoder().encodeToString(sha256(script)));
        Template t = config.getTemplate(MAIN_TEMPLATE);
        return ReportFile.write(file, bytes -> {
            Writer out = new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8);
            try {
                t.process(model, out);
            } catch (TemplateException e) {
                throw new IOException("report template failed: " + e.getMessageWithoutStackTop(), e);
            }
            out.flush();
        });
    }
}
