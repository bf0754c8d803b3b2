package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.engine.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The report as JUnit XML, which the test reports of Jenkins, GitLab, Azure DevOps and GitHub
 * read: one test suite per JVM; in it one failing test case per finding at or above the
 * {@code --fail-on} severity (its title the message, its detail, hint and evidence the text), a
 * passing case for a finding below it, a passing case for each rule that ran on the JVM and found
 * nothing, and a skipped case for each rule the JVM's inputs could not decide.
 */
public final class JunitWriter {

    private JunitWriter() {
    }

    /** Writes the file; returns whether it replaced one. {@code failAt} empty: no finding fails. */
    public static boolean write(ObjectNode report, java.util.Optional<Severity> failAt, Path file) throws IOException {
        return ReportFile.write(file, out -> write(report, failAt, out));
    }

    static void write(ObjectNode report, java.util.Optional<Severity> failAt, OutputStream out) throws IOException {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            List<Suite> suites = suites(report, failAt);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "lockscope");
            x.writeAttribute("tests", String.valueOf(suites.stream().mapToInt(s -> s.cases.size()).sum()));
            x.writeAttribute("failures", String.valueOf(suites.stream().mapToLong(Suite::failures).sum()));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", String.valueOf(suites.stream().mapToLong(Suite::skipped).sum()));
            x.writeAttribute("time", "0");
            for (Suite s : suites) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", clean(s.name));
                x.writeAttribute("tests", String.valueOf(s.cases.size()));
                x.writeAttribute("failures", String.valueOf(s.failures()));
                x.writeAttribute("errors", "0");
                x.writeAttribute("skipped", String.valueOf(s.skipped()));
                x.writeAttribute("time", "0");
                for (Case c : s.cases) {
                    x.writeCharacters("\n    ");
                    x.writeStartElement("testcase");
                    x.writeAttribute("classname", "lockscope." + c.rule);
                    x.writeAttribute("name", clean(c.name));
                    x.writeAttribute("time", "0");
                    c.file.ifPresent(f -> attribute(x, "file", f));
                    if (c.failure != null) {
                        x.writeStartElement("failure");
                        x.writeAttribute("message", clean(c.name));
                        x.writeAttribute("type", c.rule + " (" + c.severity + ")");
                        x.writeCharacters(clean(c.failure));
                        x.writeEndElement();
                    } else if (c.skipped != null) {
                        x.writeEmptyElement("skipped");
                        x.writeAttribute("message", clean(c.skipped));
                    } else if (c.out != null) {
                        x.writeStartElement("system-out");
                        x.writeCharacters(clean(c.out));
                        x.writeEndElement();
                    }
                    x.writeEndElement();
                }
                x.writeCharacters("\n  ");
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
        } catch (XMLStreamException e) {
            throw new IOException(e);
        }
    }

    private static void attribute(XMLStreamWriter x, String name, String value) {
        try {
            x.writeAttribute(name, clean(value));
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Case(String rule, String name, String severity, String failure, String skipped, String out,
            java.util.Optional<String> file) {
    }

    private record Suite(String name, List<Case> cases) {
        long failures() {
            return cases.stream().filter(c -> c.failure != null).count();
        }

        long skipped() {
            return cases.stream().filter(c -> c.skipped != null).count();
        }
    }

    private static List<Suite> suites(ObjectNode report, java.util.Optional<Severity> failAt) {
        List<Suite> out = new ArrayList<>();
        for (JsonNode jvm : report.path("jvms")) {
            String id = jvm.path("id").asText();
            List<Case> cases = new ArrayList<>();
            Set<String> rulesWithFindings = new LinkedHashSet<>();
            for (JsonNode f : report.path("findings")) {
                if (!f.path("jvm").asText().equals(id)) {
                    continue;
                }
                String rule = f.path("rule").asText();
                rulesWithFindings.add(rule);
                Severity severity = Severity.parse(f.path("severity").asText().toUpperCase(java.util.Locale.ROOT));
                boolean fails = failAt.isPresent() && severity.atLeast(failAt.get());
                java.util.Optional<String> file = AppFrame.of(f).filter(AppFrame::inSource).map(AppFrame::path);
                String text = text(f);
                cases.add(new Case(rule, f.path("title").asText(), f.path("severity").asText(), fails ? text : null, null,
                        fails ? null : text, file));
            }
            for (JsonNode r : report.path("rules")) {
                String rule = r.path("id").asText();
                if (rulesWithFindings.contains(rule)) {
                    continue;
                }
                JsonNode why = jvm.path("notApplicable").path(rule);
                if (!why.isMissingNode() && !why.asText().isEmpty()) {
                    cases.add(new Case(rule, rule + ": could not tell from these inputs", "", null, why.asText(), null,
                            java.util.Optional.empty()));
                } else {
                    cases.add(new Case(rule, rule + ": no finding", "", null, null, null, java.util.Optional.empty()));
                }
            }
            out.add(new Suite(jvm.path("label").asText(id), cases));
        }
        return out;
    }

    private static String text(JsonNode f) {
        StringBuilder sb = new StringBuilder();
        sb.append(f.path("severity").asText().toUpperCase(java.util.Locale.ROOT)).append(' ').append(f.path("rule").asText())
                .append(": ").append(f.path("title").asText()).append('\n');
        if (!f.path("detail").asText().isEmpty()) {
            sb.append('\n').append(f.path("detail").asText()).append('\n');
        }
        sb.append("\nHow to fix: ").append(f.path("hint").asText()).append("\n\nEvidence:\n");
        for (JsonNode e : f.path("evidence")) {
            sb.append("  ").append(e.path("text").asText()).append("  (").append(e.path("source").asText()).append(")\n");
        }
        return sb.toString();
    }

    /** Text as XML 1.0 allows it: control characters from a dump's thread names made visible. */
    static String clean(String s) {
        return VisibleText.clean(s).replace("\uFFFE", "<U+FFFE>").replace("\uFFFF", "<U+FFFF>");
    }
}
