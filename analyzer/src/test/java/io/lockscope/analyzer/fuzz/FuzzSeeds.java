package io.lockscope.analyzer.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Seeds for fuzzing, from the real dumps in sample-dumps/ and the shared corpus, never copied into
 * the repository: when fuzzing starts, each target's generated corpus folder (Jazzer's
 * .cifuzz-corpus/CLASS/TARGET, under analyzer/, ignored by git) gets the files of its format, cut
 * to {@link #MAX_SEED} bytes where they are longer (a cut file is input too: the readers must
 * handle it), plus for the archive target a zip and a tar made of small dumps.
 */
final class FuzzSeeds {

    static final byte[] TEXT_MAGIC = "Full thread dump ".getBytes(StandardCharsets.US_ASCII);
    static final byte[] JSON_MAGIC = "{\"threadDump\": {".getBytes(StandardCharsets.US_ASCII);
    static final byte[] HPROF_MAGIC = "JAVA PROFILE 1.0.".getBytes(StandardCharsets.US_ASCII);
    static final byte[] JFR_MAGIC = {'F', 'L', 'R', 0};
    static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    static final int MAX_SEED = 128 * 1024;

    private FuzzSeeds() {
    }

    /** Fills the generated corpus folders when fuzzing (JAZZER_FUZZ set) and they are empty. */
    static void plant() throws IOException {
        if (System.getenv("JAZZER_FUZZ") == null || System.getenv("JAZZER_FUZZ").isEmpty()) {
            return;
        }
        Path base = Path.of(".cifuzz-corpus", FuzzReadersTest.class.getName());
        List<Path> dumps = dumps();
        for (String target : List.of("anyBytes", "threadDumpText", "jsonThreadDump", "heapDump", "recording", "archive")) {
            Path dir = Files.createDirectories(base.resolve(target));
            try (Stream<Path> there = Files.list(dir)) {
                if (there.findAny().isPresent()) {
                    continue;
                }
            }
            int n = 0;
            for (Path f : dumps) {
                byte[] bytes = seed(f);
                if (fits(target, bytes)) {
                    Files.write(dir.resolve(String.format("seed-%03d-%s", n++, f.getFileName())), bytes);
                }
            }
            if (target.equals("archive")) {
                Files.write(dir.resolve("seed-zip"), zipOf(dumps));
            }
        }
    }

    private static boolean fits(String target, byte[] b) {
        return switch (target) {
            case "anyBytes" -> true;
            case "threadDumpText" -> !starts(b, HPROF_MAGIC) && !starts(b, JFR_MAGIC) && !starts(b, ZIP_MAGIC) && b.length > 0 && b[0] != '{';
            case "jsonThreadDump" -> b.length > 0 && (b[0] == '{' || b[0] == '[');
            case "heapDump" -> starts(b, HPROF_MAGIC);
            case "recording" -> starts(b, JFR_MAGIC);
            default -> false;
        };
    }

    private static boolean starts(byte[] b, byte[] magic) {
        return b.length >= magic.length && Arrays.equals(b, 0, magic.length, magic, 0, magic.length);
    }

    /** A dump's first bytes, uncompressed. */
    private static byte[] seed(Path f) throws IOException {
        try (InputStream raw = Files.newInputStream(f);
                InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return in.readNBytes(MAX_SEED);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static byte[] zipOf(List<Path> dumps) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            int n = 0;
            for (Path f : dumps) {
                if (Files.size(f) < 16 * 1024 && n < 4) {
                    z.putNextEntry(new ZipEntry("dumps/" + f.getFileName()));
                    z.write(Files.readAllBytes(f));
                    z.closeEntry();
                    n++;
                }
            }
        }
        return bytes.toByteArray();
    }

    private static List<Path> dumps() throws IOException {
        List<Path> all = new java.util.ArrayList<>();
        for (String property : List.of("lockscope.samples", "lockscope.corpus")) {
            String root = System.getProperty(property);
            if (root == null || !Files.isDirectory(Path.of(root))) {
                continue;
            }
            try (Stream<Path> files = Files.walk(Path.of(root))) {
                files.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(java|md|tsv|xml|sh)"))
                        .sorted()
                        .forEach(all::add);
            }
        }
        return all;
    }
}
