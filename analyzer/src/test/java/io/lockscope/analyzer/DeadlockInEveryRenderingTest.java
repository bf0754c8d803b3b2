package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The monitor deadlock and the ReentrantLock deadlock in every rendering of a JVM that a library or
 * a tool made beside jcmd's dump of the same JVM: each must find the deadlock jcmd's dump gives, among
 * the same threads, on the same kinds of lock. Hadoop's dump never names the owner of a
 * java.util.concurrent lock, so its ReentrantLock ring is a likely one.
 */
class DeadlockInEveryRenderingTest {

    /** A rendering (the file's ending) and the jcmd dump taken of the same JVM. */
    private record Rendering(String ending, String jcmd) {
    }

    private static final List<Rendering> RENDERINGS = List.of(
            new Rendering("hadoop-stacks.txt", "frameworks-jcmd.txt"),
            new Rendering("dropwizard-threads.txt", "frameworks-jcmd.txt"),
            new Rendering("tomcat-threaddump.txt", "frameworks-jcmd.txt"),
            new Rendering("arthas.txt", "arthas-jcmd.txt"),
            new Rendering("arthas-threads.txt", "arthas-jcmd.txt"),
            new Rendering("ignite.log.gz", "ignite-jcmd.txt"),
            new Rendering("micronaut-threaddump.json", "micronaut-jcmd.txt"));

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String jdk : List.of("jdk17", "jdk25")) {
            for (Rendering r : RENDERINGS) {
                all.add(Arguments.of(jdk, "monitor-deadlock", r.ending(), r.jcmd(), Severity.ERROR, "stocker,auditor,closer"));
                all.add(Arguments.of(jdk, "reentrantlock-deadlock", r.ending(), r.jcmd(),
                        r.ending().startsWith("hadoop") ? Severity.WARNING : Severity.ERROR, "transfer-a-to-b,transfer-b-to-a"));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}/{1}.{2}")
    @MethodSource("cases")
    void theDeadlockIsFoundAsInJcmdsDump(String jdk, String scenario, String rendering, String jcmd, Severity severity, String threads) {
        Finding f = Dumps.deadlockAsJcmd(Dumps.sample(jdk + "/" + scenario + "." + rendering), Dumps.sample(jdk + "/" + scenario + "." + jcmd),
                severity, threads);
        assertTrue(f.title().startsWith(severity == Severity.ERROR ? "Deadlock among " : "Likely deadlock among "), f.title());
    }
}
