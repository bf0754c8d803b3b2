package io.lockscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.cli.CliTest;
import io.lockscope.analyzer.cli.ExitCode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The formats CI tools read: JUnit XML (checked against the schema test reporters document, as
 * Maven Surefire's own reports of this build are), GitLab Code Quality JSON, the Markdown summary,
 * and GitHub Actions annotations; each on the sample dumps, hostile names included.
 */
class CiFormatsTest {

    @TempDir
    Path out;

    private CliTest.Run analyze(String formats, String failOn, Path... inputs) {
        List<String> args = new java.util.ArrayList<>(List.of("analyze"));
        for (Path p : inputs) {
            args.add(p.toString());
        }
        args.addAll(List.of("-o", out.toString(), "--format", formats, "--fail-on", failOn));
        return CliTest.run(args.toArray(String[]::new));
    }

    private static void validJunit(Path xml) throws Exception {
        try (InputStream xsd = CiFormatsTest.class.getResourceAsStream("/schema/junit-report.xsd")) {
            var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(new StreamSource(xsd));
            schema.newValidator().validate(new StreamSource(xml.toFile()));
        }
    }

    @Test
    void theSchemaAcceptsSurefiresOwnReports() throws Exception {
        // the reference: what every JUnit reader reads. Surefire wrote these for the rules module, built before this one.
        List<Path> xml = new java.util.ArrayList<>();
        for (Path reports : List.of(Path.of("../rules/target/surefire-reports"), Path.of("target/surefire-reports"))) {
            if (Files.isDirectory(reports)) {
                try (var files = Files.list(reports)) {
                    files.filter(p -> p.getFileName().toString().startsWith("TEST-")).limit(5).forEach(xml::add);
                }
            }
        }
        assertFalse(xml.isEmpty(), "no surefire report to compare with: build the rules module's tests first (mvn verify does)");
        for (Path p : xml) {
            validJunit(p);
        }
    }

    @Test
    void junitHasASuitePerJvmAFailurePerFindingAndACasePerRule() throws Exception {
        CliTest.Run r = analyze("junit", "error", Dumps.sample("jdk17/monitor-deadlock.txt"), Dumps.sample("jdk17/healthy-busy.txt"),
                Dumps.sample("jdk17/sleep-holding-1.txt"));
        assertEquals(ExitCode.FINDINGS, r.exit(), r.err());
        Path xml = out.resolve("lockscope-report.junit.xml");
        validJunit(xml);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        NodeList suites = d.getElementsByTagName("testsuite");
        assertEquals(3, suites.getLength(), "one per JVM");
        int failures = 0;
        int passingFindings = 0;
        for (int i = 0; i < suites.getLength(); i++) {
            Element s = (Element) suites.item(i);
            NodeList cases = s.getElementsByTagName("testcase");
            assertEquals(Integer.parseInt(s.getAttribute("tests")), cases.getLength());
            for (int c = 0; c < cases.getLength(); c++) {
                Element tc = (Element) cases.item(c);
                if (tc.getElementsByTagName("failure").getLength() > 0) {
                    failures++;
                    Element f = (Element) tc.getElementsByTagName("failure").item(0);
                    assertEquals("lockscope.deadlock", tc.getAttribute("classname"));
                    assertTrue(f.getAttribute("message").startsWith("Deadlock among 3 threads on monitors: stocker"), f.getAttribute("message"));
                    assertTrue(f.getTextContent().contains("Evidence:") && f.getTextContent().contains("monitor-deadlock.txt:"));
                    assertEquals("Scenario.java", tc.getAttribute("file"));
                } else if (tc.getAttribute("classname").equals("lockscope.blocking-while-holding") && !tc.getAttribute("name").endsWith("no finding")) {
                    passingFindings++; // a warning, below --fail-on error: reported, not failed
                }
            }
        }
        assertEquals(1, failures);
        assertEquals(1, passingFindings);
        // the healthy JVM: every rule a case of its own, passing or skipped with the reason
        int allRules = 0;
        for (int i = 0; i < suites.getLength(); i++) {
            Element s = (Element) suites.item(i);
            NodeList cases = s.getElementsByTagName("testcase");
            boolean none = true;
            for (int c = 0; c < cases.getLength(); c++) {
                String name = ((Element) cases.item(c)).getAttribute("name");
                none &= name.endsWith(": no finding") || name.endsWith(": could not tell from these inputs");
            }
            if (none && cases.getLength() == 9 && s.getAttribute("failures").equals("0")) {
                allRules++;
            }
        }
        assertEquals(1, allRules, "the healthy JVM has a passing or skipped case for each of the 9 rules");
    }

    @Test
    void junitWithFailOnWarningFailsTheWarningToo() throws Exception {
        analyze("junit", "warning", Dumps.sample("jdk17/sleep-holding-1.txt"));
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("lockscope-report.junit.xml").toFile());
        assertEquals("1", ((Element) d.getElementsByTagName("testsuites").item(0)).getAttribute("failures"));
    }

    @Test
    void codeQualityIssuesHaveTheDocumentedShapeAndStableFingerprints() throws Exception {
        analyze("codequality", "never", Dumps.samples());
        JsonNode issues = new ObjectMapper().readTree(out.resolve("lockscope-report.codequality.json").toFile());
        try (InputStream schema = CiFormatsTest.class.getResourceAsStream("/schema/gitlab-codequality.schema.json")) {
            var errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(schema).validate(issues);
            assertTrue(errors.isEmpty(), () -> "schema errors: " + errors);
        }
        assertTrue(issues.size() > 20, "every finding of the samples: " + issues.size());
        JsonNode deadlock = null;
        java.util.Set<String> fingerprints = new java.util.HashSet<>();
        for (JsonNode i : issues) {
            assertTrue(fingerprints.add(i.path("fingerprint").asText()), "unique: " + i);
            if (i.path("check_name").asText().equals("lockscope/deadlock") && i.path("description").asText().contains("stocker")) {
                deadlock = i;
            }
        }
        assertEquals("critical", deadlock.path("severity").asText());
        assertEquals("Scenario.java", deadlock.path("location").path("path").asText(), "the application frame");
        // the same inputs again: the same fingerprints, so GitLab can tell new issues from old
        java.util.Set<String> before = fingerprints;
        analyze("codequality", "never", Dumps.samples());
        java.util.Set<String> after = new java.util.HashSet<>();
        new ObjectMapper().readTree(out.resolve("lockscope-report.codequality.json").toFile()).forEach(i -> after.add(i.path("fingerprint").asText()));
        assertEquals(before, after);
    }

    @Test
    void markdownSummarizesAndLinksEachFindingToTheHtmlReport() throws Exception {
        analyze("markdown", "never", Dumps.sample("jdk17/monitor-deadlock.txt"), Dumps.sample("jdk17/hostile-names.txt"),
                Dumps.sample("jdk17/control-names.txt"));
        String md = Files.readString(out.resolve("lockscope-report.md"));
        assertTrue(md.startsWith("## lockscope: 3 errors, 0 warnings\n\n3 inputs, 3 dumps, 3 JVMs.\n"), md);
        assertTrue(md.contains("](lockscope-report.html#deadlock-"), md);
        // a hostile thread name is text, not markup: no raw tag, no link, no escape character
        assertFalse(java.util.regex.Pattern.compile("(?<!\\\\)<img").matcher(md).find(), md);
        assertTrue(md.contains("\\<img src=x onerror=alert\\(1\\)\\>") || md.contains("\\<img src=x onerror=alert(1)\\>"), md);
        assertFalse(md.contains("\u001b"), "no raw escape character");
        assertFalse(java.util.regex.Pattern.compile("(?<!\\\\)\\]\\(javascript").matcher(md).find(), "a link only when escaped: " + md);
        assertTrue(md.contains("\\[click\\](javascript"), md);
    }

    @Test
    void markdownCountsOneInputAsOne() throws Exception {
        analyze("markdown", "never", Dumps.sample("jdk17/monitor-deadlock.txt"));
        String md = Files.readString(out.resolve("lockscope-report.md"));
        assertTrue(md.startsWith("## lockscope: 1 error, 0 warnings\n\n1 input, 1 dump, 1 JVM.\n"), md);
    }

    @Test
    void githubAnnotationsPointAtTheApplicationFrameAndCannotBeInjected() {
        CliTest.Run r = analyze("github", "never", Dumps.sample("jdk17/monitor-deadlock.txt"), Dumps.sample("jdk17/control-names.txt"));
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.stream().allMatch(l -> l.startsWith("::error ") || l.startsWith("::warning ") || l.startsWith("::notice ")),
                r.out());
        String deadlock = lines.stream().filter(l -> l.contains("stocker")).findFirst().orElseThrow();
        assertTrue(deadlock.matches("::error file=Scenario\\.java,line=\\d+,title=lockscope deadlock::Deadlock among 3 threads.*"), deadlock);
        // a thread name with a newline or "::" in it cannot start a command of its own
        assertEquals(lines.size(), r.out().split("\n").length);
        assertTrue(lines.stream().noneMatch(l -> l.indexOf("::", 2) != l.lastIndexOf("::") && l.substring(l.indexOf("::", 2) + 2).contains("\n")));
    }
}
