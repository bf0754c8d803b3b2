package io.lockscope.analyzer.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lockscope.analyzer.input.InputReader;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of every reader with Jazzer. Each input's bytes are written to a file
 * and read as lockscope reads any input; whatever the bytes, reading returns, with reports that
 * say what became of the file, and a file that gave dumps is never reported unread. An exception,
 * an error (out of memory, stack overflow) or an input that takes over {@code @Timeout} seconds
 * is a finding (Jazzer makes the test's timeout its per-input limit; JUnit applies it to the whole
 * bounded run as well, so it is longer than that run: 60 s; fuzz/run.sh uses 10 s).
 *
 * <p>Without JAZZER_FUZZ this runs as plain tests over the inputs in
 * src/test/resources/io/lockscope/analyzer/fuzz/FuzzReadersTestInputs/TARGET: the inputs that once
 * failed, kept as regression tests. With JAZZER_FUZZ=1 each target fuzzes for {@link #CI_RUN}
 * (Jazzer fuzzes one target per run: the build runs one Surefire execution per target, see
 * analyzer/pom.xml), seeded by {@link FuzzSeeds} from sample-dumps/ and the shared corpus. The
 * long run is {@code fuzz/run.sh} (see fuzz/README.md).
 */
class FuzzReadersTest {

    /** How long each target fuzzes in the build's bounded run. */
    static final String CI_RUN = "8s";

    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("lockscope-fuzz-", ".input");
            FILE.toFile().deleteOnExit();
            FuzzSeeds.plant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the bytes, after {@code magic} unless they start with it already, and checks what reading said. */
    static List<InputReport> read(byte[] data, byte[] magic) {
        boolean has = data.length >= magic.length && java.util.Arrays.equals(data, 0, magic.length, magic, 0, magic.length);
        try {
            if (has) {
                Files.write(FILE, data);
            } else {
                byte[] bytes = new byte[magic.length + data.length];
                System.arraycopy(magic, 0, bytes, 0, magic.length);
                System.arraycopy(data, 0, bytes, magic.length, data.length);
                Files.write(FILE, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Snapshot> snapshots = new ArrayList<>();
        List<InputReport> reports = InputReader.readAll(FILE, "fuzz", snapshots::add, r -> { }, (pass, at, size) -> { });
        assertFalse(reports.isEmpty());
        for (InputReport r : reports) {
            assertNotNull(r.message());
            assertFalse(r.message().isBlank(), r.toString());
            if (r.status() == InputStatus.FAILED || r.status() == InputStatus.SKIPPED) {
                assertTrue(r.snapshots() == 0, "a file that gave dumps is not unread: " + r);
            }
        }
        for (Snapshot s : snapshots) {
            assertNotNull(s.threads());
        }
        return reports;
    }

    /** Format detection, and whichever reader it picks: any bytes at all. */
    @FuzzTest(maxDuration = CI_RUN)
    @Timeout(60)
    void anyBytes(byte[] data) {
        read(data, new byte[0]);
    }

    /** The HotSpot text reader and its dialects (jstack, jhsdb, jstack -F, actuator text, ThreadInfo). */
    @FuzzTest(maxDuration = CI_RUN)
    @Timeout(60)
    void threadDumpText(byte[] data) {
        read(data, FuzzSeeds.TEXT_MAGIC);
    }

    /** jcmd's and the actuator's JSON thread dump readers. */
    @FuzzTest(maxDuration = CI_RUN)
    @Timeout(60)
    void jsonThreadDump(byte[] data) {
        read(data, FuzzSeeds.JSON_MAGIC);
    }

    /** The HPROF reader. */
    @FuzzTest(maxDuration = CI_RUN)
    @Timeout(60)
    void heapDump(byte[] data) {
        read(data, FuzzSeeds.HPROF_MAGIC);
    }

    /** The JFR front end: chunk headers, lockscope's parser, and the JDK's and JMC's behind it. */
    @FuzzTest(maxDuration = CI_RUN)
    @Timeout(60)
    void recording(byte[] data) {
        read(data, FuzzSeeds.JFR_MAGIC);
    }

    /** Zip, tar and gzip, and what is inside them. */
    @FuzzTest(maxDuration = CI_RUN)
    @Timeout(60)
    void archive(byte[] data) {
        read(data, FuzzSeeds.ZIP_MAGIC);
    }
}
