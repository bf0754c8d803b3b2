package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The sample dumps say nothing of the machine that made them. A JVM with container support on
 * reads its cgroup paths (with the container's id) from /proc and /sys, and those strings stay in
 * its heap and recordings; capture.sh turns that support off. This scans every sample dump,
 * heap dumps uncompressed, for such a path, and for this machine's own cgroup path.
 */
class SampleDumpPrivacyTest {

    /** A path below a cgroup controller's folder: /sys/fs/cgroup/memory/docker/0123abcd... */
    private static final Pattern CGROUP_PATH = Pattern.compile("/sys/fs/cgroup/[\\w.,-]+/[\\w.:@-]{6,}");

    @Test
    void noSampleDumpCarriesACgroupPath() throws IOException {
        List<String> traces = new ArrayList<>();
        List<String> mine = ownCgroupNames();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(Dumps.samples())) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".java")).toList()) {
                String text = new String(bytes(f), StandardCharsets.ISO_8859_1);
                scanned++;
                Matcher m = CGROUP_PATH.matcher(text);
                if (m.find()) {
                    traces.add(Dumps.samples().relativize(f) + ": " + m.group());
                }
                for (String name : mine) {
                    if (text.contains(name)) {
                        traces.add(Dumps.samples().relativize(f) + ": this machine's cgroup " + name);
                    }
                }
            }
        }
        assertTrue(scanned > 100, "scanned " + scanned + " sample files");
        assertTrue(traces.isEmpty(), String.join("\n", traces));
    }

    private static byte[] bytes(Path f) throws IOException {
        if (f.toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                return in.readAllBytes();
            }
        }
        return Files.readAllBytes(f);
    }

    /** The long parts of this process's cgroup paths (a container's id): none may appear in a sample dump. */
    private static List<String> ownCgroupNames() throws IOException {
        Path cgroup = Path.of("/proc/self/cgroup");
        List<String> names = new ArrayList<>();
        if (Files.isReadable(cgroup)) {
            for (String line : Files.readAllLines(cgroup)) {
                for (String part : line.substring(line.lastIndexOf(':') + 1).split("/")) {
                    if (part.length() >= 16) {
                        names.add(part);
                    }
                }
            }
        }
        return names;
    }
}
