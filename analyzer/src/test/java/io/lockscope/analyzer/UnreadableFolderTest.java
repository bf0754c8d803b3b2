package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of dumps with a subfolder the user may not read (another user's, a root-owned core
 * folder): the subfolder is listed as not read and every readable file is read. Root reads any
 * folder, so when the tests run as root (as CI does), lockscope runs as the user nobody through
 * setpriv, on a copy of its class path that nobody can read.
 */
class UnreadableFolderTest {

    @TempDir
    Path dir;

    @Test
    void anUnreadableSubfolderIsListedAndTheRestIsRead() throws Exception {
        Path root = Files.createDirectories(dir.resolve("incident"));
        Files.copy(Dumps.sample("jdk17/monitor-deadlock.txt"), root.resolve("jstack.txt"));
        Path locked = Files.createDirectories(root.resolve("locked"));
        Files.copy(Dumps.sample("jdk17/healthy-busy.txt"), locked.resolve("other.txt"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Path out = Files.createDirectories(dir.resolve("out"));
        boolean root0 = "root".equals(System.getProperty("user.name"));
        List<String> command = new ArrayList<>();
        String classPath = System.getProperty("java.class.path");
        if (root0) {
            // a copy of the class path that the user nobody can read, and folders it may enter and write
            Path cp = Files.createDirectories(dir.resolve("cp"));
            List<String> copied = new ArrayList<>();
            int i = 0;
            for (String entry : classPath.split(File.pathSeparator)) {
                Path from = Path.of(entry);
                if (!Files.exists(from)) {
                    continue;
                }
                Path to = cp.resolve((i++) + "-" + from.getFileName());
                copy(from, to);
                copied.add(to.toString());
            }
            classPath = String.join(File.pathSeparator, copied);
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.toList()) {
                    if (!p.equals(locked) && !p.startsWith(locked)) {
                        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
                    }
                }
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                "io.lockscope.analyzer.cli.Main", "analyze", root.toString(), "--format", "json", "-o", out.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(1, p.waitFor(), "exit 1: the deadlock of the readable file was found; output: " + output);
        JsonNode report = new ObjectMapper().readTree(out.resolve("lockscope-report.json").toFile());
        JsonNode lockedInput = null;
        JsonNode readInput = null;
        for (JsonNode in : report.path("inputs")) {
            if (in.path("path").asText().endsWith("locked")) {
                lockedInput = in;
            } else if (in.path("path").asText().endsWith("jstack.txt")) {
                readInput = in;
            }
        }
        assertTrue(lockedInput != null, report.path("inputs").toString());
        assertEquals("failed", lockedInput.path("status").asText());
        assertEquals("cannot be read: permission denied", lockedInput.path("message").asText());
        assertEquals("read", readInput.path("status").asText());
        assertEquals("deadlock", report.path("findings").get(0).path("rule").asText());
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }

    private static void copy(Path from, Path to) throws Exception {
        if (Files.isDirectory(from)) {
            try (Stream<Path> all = Files.walk(from)) {
                for (Path p : all.toList()) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.copy(from, to);
        }
    }
}
