package io.lockscope.analyzer.input;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

/** Walks the paths a user named: files as they are, folders recursively, in a stable order. */
public final class Discovery {

    private Discovery() {
    }

    /** A file to read, with the name it goes by in reports. */
    public record Candidate(Path path, String display) {
    }

    public record Result(List<Candidate> files, List<InputReport> problems) {
    }

    public static Result walk(List<Path> roots) {
        return walk(roots, null);
    }

    /** As {@link #walk(List)}, naming files relative to {@code displayRoot} when they are inside it. */
    public static Result walk(List<Path> roots, Path displayRoot) {
        List<Candidate> files = new ArrayList<>();
        List<InputReport> problems = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                problems.add(new InputReport(root.toString(), InputFormat.UNKNOWN, InputStatus.FAILED, "no such file or folder", 0, 0));
                continue;
            }
            if (Files.isRegularFile(root)) {
                files.add(new Candidate(root, display(root, displayRoot)));
                continue;
            }
            try (Stream<Path> walk = Files.walk(root, Integer.MAX_VALUE, EnumSet.noneOf(FileVisitOption.class).toArray(FileVisitOption[]::new))) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> !isHidden(root.relativize(p)))
                        .sorted()
                        .forEach(p -> files.add(new Candidate(p, display(p, displayRoot))));
            } catch (IOException | RuntimeException e) {
                problems.add(new InputReport(root.toString(), InputFormat.UNKNOWN, InputStatus.FAILED, "cannot walk folder: " + e.getMessage(), 0, 0));
            }
        }
        return new Result(files, problems);
    }

    private static String display(Path p, Path root) {
        if (root != null) {
            Path abs = p.toAbsolutePath().normalize();
            Path r = root.toAbsolutePath().normalize();
            if (abs.startsWith(r)) {
                return r.relativize(abs).toString();
            }
        }
        return p.toString();
    }

    /** Dot-files and dot-folders (.git, editor swap files) are not dumps. */
    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
