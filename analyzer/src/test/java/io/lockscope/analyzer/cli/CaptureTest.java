package io.lockscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockscope.analyzer.Dumps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code lockscope capture} on live JVMs: the scenarios of sample-dumps/scenarios, run on the JDK
 * that runs the tests (17) and on a JDK 21+ installed beside it (25 here; JDK25_HOME names another),
 * captured, and the folder analyzed.
 */
class CaptureTest {

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /** The JDKs to run scenarios on: this one, and the newest 21+ found beside it or in JDK25_HOME. */
    static List<Path> jdks() {
        List<Path> out = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        Optional<Path> newer = Optional.ofNullable(System.getenv("JDK25_HOME")).map(Path::of);
        if (newer.isEmpty()) {
            try (Stream<Path> siblings = Files.list(Path.of(System.getProperty("java.home")).getParent())) {
                newer = siblings.filter(h -> feature(h) >= 21 && Files.isExecutable(h.resolve("bin/jcmd")))
                        .max(java.util.Comparator.comparingInt(CaptureTest::feature));
            } catch (IOException e) {
                newer = Optional.empty();
            }
        }
        newer.ifPresent(out::add);
        return out;
    }

    static int feature(Path home) {
        try {
            return Files.readAllLines(home.resolve("release")).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                    .map(l -> l.substring(14).replaceFirst("^1\\.", "").replaceFirst("[^0-9].*$", ""))
                    .map(Integer::parseInt).findFirst().orElse(0);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Path jdk : jdks()) {
            out.add(Arguments.of(jdk, "monitor-deadlock", "deadlock"));
            out.add(Arguments.of(jdk, "swapped-field", "leaked-lock"));
            out.add(Arguments.of(jdk, "sleep-holding", "blocking-while-holding"));
            out.add(Arguments.of(jdk, "healthy-busy", ""));
        }
        return out.stream();
    }

    /** The scenario program compiled by that JDK's javac (so the JVM runs it without its source launcher). */
    static Path compiled(Path jdk) throws Exception {
        Path classes = shared.resolve("classes-" + feature(jdk));
        if (!Files.exists(classes.resolve("Scenario.class"))) {
            Files.createDirectories(classes);
            Process javac = new ProcessBuilder(jdk.resolve("bin/javac").toString(), "-d", classes.toString(),
                    Dumps.samples().resolve("scenarios/Scenario.java").toString()).inheritIO().start();
            assertEquals(0, javac.waitFor());
        }
        return classes;
    }

    static Process start(Path jdk, String scenario, Path log) throws Exception {
        Process p = new ProcessBuilder(jdk.resolve("bin/java").toString(), "-Xmx64m", "-cp", compiled(jdk).toString(), "Scenario", scenario)
                .directory(log.getParent().toFile()) // a killed JVM leaves its .attach_pid file in its working folder
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end && !Files.readString(log).contains("READY")) {
            Thread.sleep(100);
        }
        assertTrue(Files.readString(log).contains("READY"), "the scenario did not get ready: " + Files.readString(log));
        return p;
    }

    static JsonNode report(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("lockscope-report.json").toFile());
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void captureTakesTheDumpsAndTheAnalysisFindsTheProblem(Path jdk, String scenario, String rule) throws Exception {
        Process jvm = start(jdk, scenario, dir.resolve("scenario.log"));
        try {
            Path out = dir.resolve("capture");
            List<String> args = new ArrayList<>(List.of("capture", String.valueOf(jvm.pid()), "-o", out.toString(), "--dumps", "2",
                    "--interval", "0.5", "--analyze"));
            boolean heap = scenario.equals("swapped-field");
            boolean recording = scenario.equals("monitor-deadlock");
            if (heap) {
                args.add("--heap");
            }
            if (recording) {
                args.addAll(List.of("--recording", "1"));
            }
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertTrue(r.exit() == ExitCode.OK || r.exit() == ExitCode.FINDINGS, r.out() + r.err());
            assertTrue(Files.size(out.resolve("threads-1.txt")) > 1000 && Files.size(out.resolve("threads-2.txt")) > 1000);
            assertTrue(Files.readString(out.resolve("threads-1.txt")).contains("Locked ownable synchronizers"), "taken with -l");
            boolean json = feature(jdk) >= 21;
            assertEquals(json, Files.exists(out.resolve("threads.json")));
            JsonNode manifest = new ObjectMapper().readTree(out.resolve("capture.json").toFile());
            assertEquals(jvm.pid(), manifest.path("target").path("pid").asLong());
            assertTrue(manifest.path("target").path("jcmd").asText().startsWith(jdk.toString()), "the target JDK's own jcmd");
            long ok = 0;
            for (JsonNode s : manifest.path("steps")) {
                ok += s.path("ok").asBoolean() ? 1 : 0;
                assertTrue(s.has("command") || s.has("skipped"), s.toString());
            }
            // two thread dumps, the JSON dump on 21+, the heap dump, and the recording (started, dumped, stopped)
            assertEquals(2 + (json ? 1 : 0) + (heap ? 1 : 0) + (recording ? 3 : 0), ok, manifest.toString());
            assertEquals(heap, Files.exists(out.resolve("heap.hprof.gz")));
            assertEquals(recording, Files.exists(out.resolve("recording.jfr")));
            if (heap) {
                assertTrue(report(out).path("findings").toString().contains("no field of any object points to this lock"),
                        "the heap dump confirms the leak");
            }
            JsonNode report = report(out);
            assertTrue(report.path("inputs").toString().contains("captured by lockscope capture from pid " + jvm.pid()),
                    "the report's inputs say how the dumps were taken");
            assertEquals(1, report.path("summary").path("jvms").asInt(), "one JVM: the dumps of one process");
            List<String> rules = new ArrayList<>();
            report.path("findings").forEach(f -> {
                if (!f.path("severity").asText().equals("info")) {
                    rules.add(f.path("rule").asText());
                }
            });
            if (rule.isEmpty()) {
                assertTrue(rules.isEmpty(), "a healthy application: " + rules);
            } else {
                assertTrue(rules.contains(rule), rules.toString());
            }
        } finally {
            jvm.destroyForcibly().waitFor();
        }
    }

    @org.junit.jupiter.api.Test
    void aJvmThatEndsHalfWayKeepsWhatWasTaken() throws Exception {
        Path jdk = jdks().get(0);
        Process jvm = start(jdk, "healthy-busy", dir.resolve("scenario.log"));
        Path out = dir.resolve("capture");
        // the JVM ends once its first dump is taken, while capture waits for the second
        Thread killer = new Thread(() -> {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < end && !Files.exists(out.resolve("threads-1.txt"))) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            jvm.destroyForcibly();
        });
        killer.start();
        CliTest.Run r = CliTest.run("capture", String.valueOf(jvm.pid()), "-o", out.toString(), "--dumps", "3", "--interval", "2");
        killer.join();
        assertEquals(ExitCode.OK, r.exit(), r.out() + r.err());
        assertTrue(Files.exists(out.resolve("threads-1.txt")), "the first dump is kept");
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("capture.json").toFile());
        List<String> errors = new ArrayList<>();
        manifest.path("steps").forEach(s -> {
            if (s.has("error")) {
                errors.add(s.path("what").asText() + ": " + s.path("error").asText());
            }
        });
        assertTrue(errors.contains("thread dump 3: the JVM has ended"), errors.toString());
        assertTrue(r.err().contains("could not take the thread dump 3: the JVM has ended"), r.err());
        assertTrue(r.out().contains("could not be"), r.out());
    }

    @org.junit.jupiter.api.Test
    void aJvmThatDoesNotAnswerGetsTheServiceabilityAgentsDump() throws Exception {
        // stopped (SIGSTOP), it cannot answer the attach request; the agent reads its memory instead
        Path jdk = jdks().get(0);
        Process jvm = start(jdk, "monitor-deadlock", dir.resolve("scenario.log"));
        try {
            assertEquals(0, new ProcessBuilder("kill", "-STOP", String.valueOf(jvm.pid())).start().waitFor());
            Path out = dir.resolve("capture");
            CliTest.Run r = CliTest.run("capture", String.valueOf(jvm.pid()), "-o", out.toString(), "--dumps", "1",
                    "--jcmd-timeout", "5", "--analyze");
            assertTrue(r.err().contains("could not take the thread dump 1: jcmd did not answer in 5 s"), r.err());
            assertTrue(Files.exists(out.resolve("threads-sa.txt")), r.out() + r.err());
            JsonNode manifest = new ObjectMapper().readTree(out.resolve("capture.json").toFile());
            assertTrue(manifest.toString().contains("read from its memory by the Serviceability Agent"), manifest.toString());
            JsonNode report = new ObjectMapper().readTree(out.resolve("lockscope-report.json").toFile());
            assertTrue(report.path("findings").toString().contains("\"rule\":\"deadlock\""), "the agent's dump shows the deadlock");
        } finally {
            new ProcessBuilder("kill", "-CONT", String.valueOf(jvm.pid())).start().waitFor();
            jvm.destroyForcibly().waitFor();
        }
    }

    @org.junit.jupiter.api.Test
    void analyzeWithPidCapturesAndAnalyzes() throws Exception {
        Process jvm = start(jdks().get(0), "monitor-deadlock", dir.resolve("scenario.log"));
        try {
            Path out = dir.resolve("captured");
            CliTest.Run r = CliTest.run("analyze", "--pid", String.valueOf(jvm.pid()), "-o", out.toString());
            assertEquals(ExitCode.FINDINGS, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("ERROR   deadlock"), r.out());
            assertTrue(Files.exists(out.resolve("threads-3.txt")) && Files.exists(out.resolve("lockscope-report.html")));
        } finally {
            jvm.destroyForcibly().waitFor();
        }
    }
}
