package io.lockscope.analyzer.input;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The temporary files of one run (an archive's heap dump or recording, a pipe's contents), in a
 * folder of the run's own, {@code lockscope-PID-*} in the system's temporary folder. Each file is
 * deleted once read; the folder goes when the run ends, killed or not: a run that was killed too
 * hard for that has its folder removed by a later run, which finds its process gone.
 */
public final class TempFiles {

    private static final String PREFIX = "lockscope-";
    private static Path folder;

    private TempFiles() {
    }

    /** A new empty file in this run's folder. */
    public static synchronized Path newFile(String suffix) throws IOException {
        if (folder == null || !Files.isDirectory(folder)) {
            Path base = Path.of(System.getProperty("java.io.tmpdir"));
            sweep(base);
            folder = Files.createTempDirectory(base, PREFIX + ProcessHandle.current().pid() + "-");
            Path mine = folder;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(mine), "lockscope-temp-cleanup"));
        }
        return Files.createTempFile(folder, "input-", suffix);
    }

    /** Removes the folders of earlier runs whose process is gone. */
    private static void sweep(Path base) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, PREFIX + "*-*")) {
            for (Path d : dirs) {
                String[] parts = d.getFileName().toString().split("-");
                if (parts.length < 3 || !Files.isDirectory(d)) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(parts[1]);
                    // a process of that number gone, and nothing written there for an hour (a pid of another
                    // container sharing the folder may not be visible from here)
                    boolean old = Files.getLastModifiedTime(d).toMillis() < System.currentTimeMillis() - 3_600_000;
                    if (old && ProcessHandle.of(pid).isEmpty()) {
                        deleteTree(d);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        } catch (IOException | RuntimeException e) {
            // a temporary folder that cannot be listed: nothing to clean
        }
    }

    private static void deleteTree(Path d) {
        try (Stream<Path> all = Files.walk(d)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the next run's sweep
                }
            });
        } catch (IOException | RuntimeException e) {
            // gone already
        }
    }
}
