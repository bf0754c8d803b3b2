package io.lockscope.analyzer.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.cli.LockscopeCommand;
import io.lockscope.analyzer.report.HtmlReportWriter;
import io.lockscope.analyzer.report.ReportModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser: it loads with no console errors and no network requests, shows
 * the verdict and the graph, keeps hostile names inert, and its filters work. Screenshots go to
 * target/screenshots; with -Dlockscope.screenshots.update=true also to docs/ for the README.
 * Without Chromium on the machine the tests are skipped; in CI they must run.
 */
class ReportInBrowserTest {

    static HeadlessChromium browser;

    @TempDir
    Path out;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        if (chromium.isEmpty() && System.getenv("CI") != null) {
            fail("Chromium is not installed; .ci/run installs Debian's chromium package");
        }
        assumeTrue(chromium.isPresent(), "Chromium not found (install Debian's chromium, or set LOCKSCOPE_CHROMIUM); skipping");
        browser = new HeadlessChromium(chromium.get());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    private Path render(String name, Path... inputs) throws Exception {
        Path html = out.resolve(name + ".html");
        new HtmlReportWriter(Optional.empty()).write(ReportModel.build(Dumps.analyzeFromRepository(inputs),
                LockscopeCommand.version()), html);
        return html;
    }

    private void loadsCleanly(Path html) throws Exception {
        browser.open(html);
        List<String> problems = browser.problems();
        assertTrue(problems.isEmpty(), () -> "console errors: " + problems);
        List<String> requests = browser.requests();
        assertEquals(List.of(html.toUri().toString()), requests, "the page asks for nothing but itself");
    }

    private void screenshot(String name) throws Exception {
        Path png = Path.of("target/screenshots", name + ".png");
        browser.screenshot(png);
        assertTrue(Files.size(png) > 10_000, "a screenshot with something in it");
        if (Boolean.getBoolean("lockscope.screenshots.update")) {
            Path docs = Dumps.samples().getParent().resolve("docs");
            Files.createDirectories(docs);
            Files.copy(png, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void deadlockReport() throws Exception {
        Path html = render("deadlock", Dumps.sample("jdk17/monitor-deadlock.txt"), Dumps.sample("jdk17/healthy-busy.txt"));
        loadsCleanly(html);
        String verdict = browser.evaluate("document.querySelector('#verdict').innerText").asText();
        assertTrue(verdict.contains("Deadlock among 3 threads on monitors: stocker → auditor → closer → stocker"), verdict);
        assertTrue(verdict.contains("No lock problems found in 1 dump"), verdict);
        assertEquals(6, browser.evaluate("document.querySelectorAll('svg.lockgraph .node').length").asInt(),
                "the ring: three threads and three locks");
        assertEquals(6, browser.evaluate("document.querySelectorAll('svg.lockgraph .edge.cycle').length").asInt(),
                "every arrow of the ring is drawn as part of the cycle");
        screenshot("report-deadlock");
    }

    @Test
    void orphanedLockReport() throws Exception {
        Path html = render("orphan", Dumps.sample("jdk17/dead-owner.txt"));
        loadsCleanly(html);
        String verdict = browser.evaluate("document.querySelector('#verdict').innerText").asText();
        assertTrue(verdict.contains("has no live owner; 3 threads wait for it"), verdict);
        assertEquals(1, browser.evaluate("document.querySelectorAll('svg.lockgraph .node.ghost').length").asInt(),
                "the missing owner is drawn as missing");
        screenshot("report-orphaned-lock");
    }

    @Test
    void hostileThreadNamesStayText() throws Exception {
        Path html = render("hostile", Dumps.sample("jdk17/hostile-names.txt"), Dumps.sample("jdk25/hostile-names.json"));
        loadsCleanly(html);
        assertEquals(0, browser.evaluate("document.querySelectorAll('img').length").asInt(), "no <img> from a thread name");
        assertEquals(1, browser.evaluate("document.querySelectorAll('script').length").asInt(), "only the report's own script");
        assertTrue(browser.evaluate("document.body.innerText.includes('<img src=x onerror=alert(1)>')").asBoolean());
    }

    @Test
    void controlCharactersInThreadNamesAreShownAndNeverTurnTheText() throws Exception {
        Path html = render("control", Dumps.sample("jdk17/control-names.txt"), Dumps.sample("jdk25/control-names.txt"));
        loadsCleanly(html);
        String visible = browser.evaluate("document.body.innerText").asText();
        assertTrue(visible.contains("flusher-<U+202E>gpj.exe-[click](javascript:alert(1))"), "the override shown as text");
        assertTrue(visible.contains("poller\\x1B[2J\\x1B]0;owned\\x07"), "the escapes shown as text");
        assertEquals(0, browser.evaluate("(document.body.innerText.match(/[\\u202a-\\u202e\\u2066-\\u2069\\u001b]/g) || []).length").asInt(),
                "no override or escape character in the page's text");
        assertEquals(0, browser.evaluate("document.querySelectorAll('a[href^=\"javascript\"]').length").asInt(), "no link from a name");
    }

    @Test
    void threadFilterNarrowsTheTable() throws Exception {
        Path html = render("filter", Dumps.sample("jdk17/contention.txt"));
        loadsCleanly(html);
        int all = browser.evaluate("document.querySelectorAll('tr.thread-row').length").asInt();
        int blocked = browser.evaluate("""
                (function () {
                  var s = document.querySelector('.state-filter');
                  s.value = 'BLOCKED';
                  s.dispatchEvent(new Event('change'));
                  return document.querySelectorAll('tr.thread-row:not([hidden])').length;
                })()""").asInt();
        assertEquals(12, blocked, "twelve http handlers are BLOCKED");
        assertTrue(all > blocked);
        int named = browser.evaluate("""
                (function () {
                  var s = document.querySelector('.state-filter');
                  s.value = '';
                  s.dispatchEvent(new Event('change'));
                  var n = document.querySelector('.name-filter');
                  n.value = 'session-sweeper';
                  n.dispatchEvent(new Event('input'));
                  return document.querySelectorAll('tr.thread-row:not([hidden])').length;
                })()""").asInt();
        assertEquals(1, named);
    }

    @Test
    void everySampleDumpInOneReport() throws Exception {
        Path html = render("all", Dumps.samples());
        loadsCleanly(html);
        assertTrue(browser.evaluate("document.querySelectorAll('article.finding').length").asInt() >= 30);
        assertTrue(browser.evaluate("document.querySelectorAll('svg.lockgraph').length").asInt() >= 20);
    }
}
