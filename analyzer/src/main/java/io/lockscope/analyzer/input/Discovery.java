package io.lockscope.analyzer.input;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

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
            if (root.equals(PipeSpool.STANDARD_INPUT)) {
                files.add(new Candidate(root, PipeSpool.STANDARD_INPUT_NAME));
                continue;
            }
            if (!Files.exists(root)) {
                problems.add(new InputReport(root.toString(), InputFormat.UNKNOWN, InputStatus.FAILED, "no such file or folder", 0, 0));
                continue;
            }
            if (!Files.isDirectory(root)) {
                // a file, or a pipe, a device, a process substitution's /dev/fd/63, named on purpose: read what it gives
                files.add(new Candidate(root, display(root, displayRoot)));
                continue;
            }
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return !dir.equals(root) && isHidden(root.relativize(dir)) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && !isHidden(root.relativize(p))) {
                            files.add(new Candidate(p, display(p, displayRoot)));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path p, IOException e) {
                        // a folder or file that cannot be opened is listed; everything else in the folder is still read
                        problems.add(new InputReport(display(p, displayRoot), InputFormat.UNKNOWN, InputStatus.FAILED,
                                "cannot be read: " + why(e), 0, 0));
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException | RuntimeException e) {
                problems.add(new InputReport(root.toString(), InputFormat.UNKNOWN, InputStatus.FAILED, "cannot walk folder: " + e.getMessage(), 0, 0));
            }
        }
        // the same inputs give the same report whatever their order on the command line: one order, by the name
        // shown, and a file named twice (or reached through two folders) read once
        java.util.Set<Path> seen = new java.util.HashSet<>();
        List<Candidate> unique = new ArrayList<>();
        files.stream().sorted(java.util.Comparator.comparing(Candidate::display).thenComparing(c -> c.path().toString()))
                .filter(c -> seen.add(real(c.path())))
                .forEach(unique::add);
        problems.sort(java.util.Comparator.comparing(InputReport::path));
        return new Result(unique, problems);
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException | RuntimeException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static String why(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
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
