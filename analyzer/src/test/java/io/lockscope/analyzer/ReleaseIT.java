package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a user gets it: target/release/lockscope-VERSION.jar and its launcher, copied into
 * an empty folder and run with a PATH that has Java and a shell's few tools but no Maven and no
 * checkout. Runs after the package phase (the surefire execution "release-it").
 */
class ReleaseIT {

    @TempDir
    Path dir;

    private record Result(int exit, String out) {
    }

    private Result run(Path launcher, Path bin, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(bin.resolve("sh").toString(), launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher ends");
        return new Result(p.exitValue(), out);
    }

    @Test
    void theJarAndItsLauncherRunWithoutMavenInAnEmptyFolder() throws Exception {
        Path release = Path.of("target/release");
        Path jar;
        try (var files = Files.list(release)) {
            jar = files.filter(f -> f.getFileName().toString().matches("lockscope-.+\\.jar")).findFirst().orElseThrow();
        }
        Path install = Files.createDirectories(dir.resolve("opt/lockscope"));
        Files.copy(jar, install.resolve(jar.getFileName()));
        Path launcher = Files.copy(release.resolve("lockscope"), install.resolve("lockscope"));
        // a PATH with java and what the launcher calls, and nothing else: no mvn
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Files.createSymbolicLink(bin.resolve("java"), java);
        for (String tool : List.of("sh", "dirname", "sed", "readlink", "ls", "awk", "cksum", "du", "cut", "find", "mkdir", "head", "rm")) {
            Path real = List.of(Path.of("/bin", tool), Path.of("/usr/bin", tool)).stream().filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new AssertionError("no " + tool));
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        assertTrue(Files.notExists(bin.resolve("mvn")));

        Result version = run(launcher, bin, "--version");
        assertEquals(0, version.exit(), version.out());
        assertTrue(version.out().startsWith("lockscope "), version.out());

        Path dump = Files.copy(Dumps.sample("jdk17/monitor-deadlock.txt"), dir.resolve("dump.txt"));
        Result r = run(launcher, bin, "analyze", dump.toString(), "--format", "text,json", "-o", dir.resolve("out").toString());
        assertEquals(1, r.exit(), "a deadlock fails the run: " + r.out());
        assertTrue(r.out().contains("ERROR   deadlock"), r.out());
        assertTrue(Files.exists(dir.resolve("out/lockscope-report.json")));
        // the first analysis left a class-data-sharing archive in the user's cache; the next one maps it,
        // and says the same
        try (var archives = Files.list(dir.resolve(".cache/lockscope"))) {
            assertEquals(1, archives.filter(f -> f.getFileName().toString().endsWith(".jsa")).count());
        }
        Result again = run(launcher, bin, "analyze", dump.toString(), "--format", "text", "-o", dir.resolve("out").toString());
        assertEquals(1, again.exit(), again.out());
        assertEquals(r.out().lines().filter(l -> l.startsWith("ERROR")).toList(), again.out().lines().filter(l -> l.startsWith("ERROR")).toList());
        assertTrue(again.out().lines().noneMatch(l -> l.contains("[cds]") || l.contains("[warning]")), "no JVM log on the output: " + again.out());
    }

    @Test
    void captureOfAnotherUsersJvmSaysWhatToRunInstead() throws Exception {
        // as root, start a JVM; as nobody, try to capture it: one line saying to run it as root
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs root and setpriv to act as another user");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path jar;
        try (var files = Files.list(Path.of("target/release"))) {
            jar = files.filter(f -> f.getFileName().toString().matches("lockscope-.+\\.jar")).findFirst().orElseThrow();
        }
        Path copy = Files.copy(jar, dir.resolve("lockscope.jar"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path javac = Path.of(java).resolveSibling("javac");
        assertEquals(0, new ProcessBuilder(javac.toString(), "-d", classes.toString(),
                Dumps.samples().resolve("scenarios/Scenario.java").toString()).inheritIO().start().waitFor());
        Path log = dir.resolve("scenario.log");
        Process jvm = new ProcessBuilder(java, "-Xmx64m", "-cp", classes.toString(), "Scenario", "healthy-busy")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < end && !Files.readString(log).contains("READY")) {
                Thread.sleep(100);
            }
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    java, "-jar", copy.toString(), "capture", String.valueOf(jvm.pid()), "-o", dir.resolve("cap").toString(),
                    "--dumps", "1", "--jcmd-timeout", "20").redirectErrorStream(true);
            pb.environment().put("HOME", dir.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(3, p.exitValue(), out);
            assertTrue(out.contains("(the JVM runs as root: run sudo -u root lockscope capture " + jvm.pid() + ")"), out);
            assertTrue(!out.contains("Serviceability Agent"), "a refusal is no reason to try the agent: " + out);
        } finally {
            jvm.destroyForcibly().waitFor();
        }
    }
}
