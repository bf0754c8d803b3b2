package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What people paste into a bug report: HotSpot's "Found one Java-level deadlock:" section with its
 * "Java stack information for the threads listed above:", and nothing else of the dump. Cut out of
 * real dumps here (the cut is what is being tested), alone, and inside the prose of an issue.
 */
class PastedDeadlockTest {

    @TempDir
    Path dir;

    /** The lines from "Found one Java-level deadlock:" through "Found N deadlock(s).", as a person copies them. */
    private static List<String> section(Path dump) throws Exception {
        List<String> lines = Files.readAllLines(dump, StandardCharsets.UTF_8);
        int from = Dumps.lineStartingWith(lines, "Found one Java-level deadlock:");
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(from, lines.size())) {
            out.add(line);
            if (line.startsWith("Found ") && line.contains(" deadlock") && !line.startsWith("Found one")) {
                break;
            }
        }
        assertTrue(out.stream().anyMatch(l -> l.startsWith("Java stack information for the threads listed above:")), dump.toString());
        return out;
    }

    @ParameterizedTest
    @CsvSource({
        "sample, jdk17/mixed-deadlock.txt, 'cache-loader,cache-evictor'",
        "sample, jdk25/mixed-deadlock.txt, 'cache-loader,cache-evictor'",
        "sample, jdk25/monitor-deadlock.txt, 'stocker,auditor,closer'",
        "corpus, jstack/jstall-jdk26ea-jcmd-aqs-deadlock.txt, 'DeadlockThread-1,DeadlockThread-2'",
        "corpus, jstack/jifa-jdk11.0.1-monitor-deadlock.txt, 'main,Thread-0'"})
    void theSectionAloneIsAPartialDumpWithItsDeadlock(String where, String file, String threads) throws Exception {
        Path source = where.equals("sample") ? Dumps.sample(file) : Dumps.corpus(file);
        Path pasted = Files.write(dir.resolve("pasted.txt"), section(source), StandardCharsets.UTF_8);
        InputReport input = Dumps.report(pasted);
        assertEquals(InputStatus.PARTIAL, input.status(), input.message());
        assertTrue(input.message().contains("deadlock section without the rest of the dump"), input.message());
        Set<String> expected = Set.of(threads.split(","));
        assertEquals(expected.size(), Dumps.readOne(pasted).threads().size());
        Finding f = Dumps.only(Dumps.findings("deadlock", pasted));
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(expected, Set.copyOf(f.threads()));
        // the same ring the whole dump gives
        Finding whole = Dumps.only(Dumps.findings("deadlock", source).stream()
                .filter(x -> Set.copyOf(x.threads()).equals(expected)).toList());
        assertEquals(whole.title().replaceAll(" \\(in \\d+ dumps\\)", ""), f.title());
    }

    @ParameterizedTest
    @CsvSource({"jdk17/reentrantlock-deadlock.txt", "jdk25/reentrantlock-deadlock.txt"})
    void theSectionInsideAnIssueBodyBetweenProse(String file) throws Exception {
        List<String> body = new ArrayList<>(List.of("## Describe the bug", "", "The service hangs after a few minutes under load.",
                "jstack printed this at the end:", "", "```"));
        body.addAll(section(Dumps.sample(file)));
        body.addAll(List.of("```", "", "### Environment", "- OS: Linux", "- Thanks for looking!"));
        Path issue = Files.write(dir.resolve("issue.md"), body, StandardCharsets.UTF_8);
        Finding f = Dumps.only(Dumps.findings("deadlock", issue));
        assertEquals(Set.of("transfer-a-to-b", "transfer-b-to-a"), Set.copyOf(f.threads()));
        assertTrue(f.title().startsWith("Deadlock among 2 threads on java.util.concurrent locks"), f.title());
    }

    /**
     * Only the ring's lines, as people often paste them: "Found one Java-level deadlock:" up to the
     * stacks (HotSpot) or to "Found a total of N deadlock(s)." (the Serviceability Agent), with no
     * stack at all; and the same indented four spaces, as in a Markdown code block. The JVM's word
     * is all there is, and the deadlock rule takes it. HotSpot's chain may set out from a thread
     * queued behind the ring (report-runner; DeadLockThread3 in Apple's JDK 6), which is named as
     * blocked behind it, not as a member.
     */
    @ParameterizedTest
    @CsvSource({
        "sample, jdk17/queued-deadlock.txt, 'ledger-writer,journal-flusher', report-runner, java.util.concurrent locks",
        "sample, jdk25/queued-deadlock.nolocks.txt, 'ledger-writer,journal-flusher', report-runner, java.util.concurrent locks",
        "sample, jdk25/queued-deadlock.jhsdb.txt, 'journal-flusher,ledger-writer', '', java.util.concurrent locks",
        "sample, jdk17/monitor-deadlock.txt, 'stocker,auditor,closer', '', monitors",
        "corpus, jstack/samurai-applejdk6u5-deadlock-jstack-3dumps.txt, 'DeadLockThread2,DeadLockThread1', DeadLockThread3, monitors"})
    void theRingAloneWithoutStacksIsTheDeadlockTheJvmReported(String where, String file, String ring, String behind, String kinds)
            throws Exception {
        Path source = where.equals("sample") ? Dumps.sample(file) : Dumps.corpus(file);
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        List<String> cut = new ArrayList<>();
        for (String line : lines.subList(Dumps.lineStartingWith(lines, "Found one Java-level deadlock:"), lines.size())) {
            if (line.startsWith("Java stack information") || line.startsWith("Found a total of")) {
                break;
            }
            cut.add(line);
        }
        List<String> members = List.of(ring.split(","));
        List<String> shown = new ArrayList<>(members);
        shown.add(members.get(0));
        String title = "Deadlock among " + members.size() + " threads on " + kinds + ": " + String.join(" → ", shown)
                + (behind.isEmpty() ? "" : "; 1 more thread blocked behind it") + " (reported by the JVM)";
        for (String indent : List.of("", "    ")) {
            Path pasted = Files.write(dir.resolve("ring.txt"), cut.stream().map(l -> indent + l).toList(), StandardCharsets.UTF_8);
            assertEquals(InputStatus.PARTIAL, Dumps.report(pasted).status());
            Finding f = Dumps.only(Dumps.findings("deadlock", pasted));
            assertEquals(Severity.ERROR, f.severity());
            assertEquals(title, f.title(), "indented by '" + indent + "'");
            Set<String> threads = new java.util.HashSet<>(members);
            if (!behind.isEmpty()) {
                threads.add(behind);
            }
            assertEquals(threads, Set.copyOf(f.threads()));
            assertTrue(f.detail().startsWith("Only HotSpot's report of this deadlock was kept, without the threads' stacks"), f.detail());
        }
    }
}
