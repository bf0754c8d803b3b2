package lockscope.frameworks;

import com.codahale.metrics.jvm.ThreadDump;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import lockscope.scenarios.WhenReady;
import org.apache.hadoop.util.ReflectionUtils;
import org.apache.tomcat.util.Diagnostics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one scenario of ../scenarios/Scenario.java and, once it prints READY, has two libraries dump
 * this JVM's threads their own way, as a service built on them hands the dump out:
 * <ul>
 *   <li>Hadoop's {@code ReflectionUtils.printThreadInfo(out, "")}, what the {@code /stacks} page of a
 *       Hadoop, HBase or Hive daemon serves (HttpServer2's StackServlet), into the file named first;
 *   <li>Dropwizard Metrics' {@code ThreadDump.dump(out)}, what a Dropwizard application's admin
 *       {@code /threads} serves (ThreadDumpServlet), into the file named second;
 *   <li>Tomcat's {@code Diagnostics.getThreadDump()}, what Tomcat's Manager serves
 *       ({@code /manager/text/threaddump}), twice two seconds apart into one file, as a loop of
 *       {@code curl ... >> FILE} keeps them: the file named second with {@code dropwizard-threads}
 *       replaced by {@code tomcat-threaddump}; with {@code -Dtomcat.locale=ja}, once more as the page
 *       asked for in that language serves it, into {@code tomcat-threaddump-ja}.
 * </ul>
 * With a third file named, it also writes a daemon's log there, as a Hadoop daemon's logger does: some
 * hundreds of lines of its own, then Hadoop's {@code ReflectionUtils.logThreadInfo} twice, three seconds
 * apart, with a line of its own after each (each dump one message, the logger's prefix on its first line only).
 * With {@code -Dcatch.owners=true}, Hadoop's dump is taken again and again (200 times at most) until the
 * threads blocked on one lock name two different owners: it asks for one thread at a time, and a hot
 * lock changes hands in between.
 * Then prints DUMPED. With {@code -Dcontention=true} the JVM's thread contention monitoring is turned on
 * first, as some services do, and Hadoop's dump then gives each thread's blocked and waited times too.
 *
 * <p>Usage: java -cp CLASSES:CLASS_PATH lockscope.frameworks.FrameworkDumps SCENARIO HADOOP_OUT METRICS_OUT [LOG_OUT]
 */
public class FrameworkDumps {

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("contention")) {
            ManagementFactory.getThreadMXBean().setThreadContentionMonitoringEnabled(true);
        }
        String hadoopOut = args[1];
        String metricsOut = args[2];
        String logOut = args.length > 3 ? args[3] : null;
        if (logOut != null) {
            // slf4j-simple, set up before its first logger: a file, a time on each line, as a daemon's log4j writes it
            System.setProperty("org.slf4j.simpleLogger.logFile", logOut);
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss,SSS");
            System.setProperty("org.slf4j.simpleLogger.showShortLogName", "false");
        }
        WhenReady.run(args[0], "framework-dump", console -> dump(hadoopOut, metricsOut, logOut, console));
    }

    private static void dump(String hadoopOut, String metricsOut, String logOut, PrintStream console) {
        try {
            if (logOut != null) {
                Logger daemon = LoggerFactory.getLogger("org.apache.hadoop.hdfs.server.datanode.DataNode");
                for (int i = 1; i <= 800; i++) {
                    daemon.info("Successfully sent block report 0x{}, containing 1 storage report(s), of which we sent {}",
                            Integer.toHexString(0x5f3a2000 + i), i % 7);
                }
                Logger reflection = LoggerFactory.getLogger(ReflectionUtils.class);
                ReflectionUtils.logThreadInfo(reflection, "jsp requested", 0);
                daemon.info("Receiving BP-1-127.0.0.1-1 src: /127.0.0.1:50010 dest: /127.0.0.1:50020");
                Thread.sleep(3000);
                daemon.info("Slow BlockReceiver write data to disk cost:3001ms (threshold=300ms)");
                ReflectionUtils.logThreadInfo(reflection, "jsp requested", 0);
                daemon.info("Receiving BP-1-127.0.0.1-1 src: /127.0.0.1:50010 dest: /127.0.0.1:50020");
            }
            byte[] stacks = hadoopStacks();
            // with -Dcatch=owners, again and again (200 times at most) until the waiters of one lock name two owners
            for (int i = 1; i < 200 && Boolean.getBoolean("catch.owners") && !twoOwners(stacks); i++) {
                stacks = hadoopStacks();
            }
            try (OutputStream out = new FileOutputStream(hadoopOut)) {
                out.write(stacks);
            }
            try (OutputStream out = new FileOutputStream(metricsOut)) {
                new ThreadDump(ManagementFactory.getThreadMXBean()).dump(out);
            }
            try (OutputStream out = new FileOutputStream(metricsOut.replace("dropwizard-threads", "tomcat-threaddump"))) {
                out.write(Diagnostics.getThreadDump().getBytes(StandardCharsets.UTF_8));
                Thread.sleep(2000);
                out.write(Diagnostics.getThreadDump().getBytes(StandardCharsets.UTF_8));
            }
            String language = System.getProperty("tomcat.locale", "");
            if (!language.isEmpty()) {
                try (OutputStream out = new FileOutputStream(metricsOut.replace("dropwizard-threads", "tomcat-threaddump-" + language))) {
                    Locale locale = Locale.forLanguageTag(language);
                    out.write(Diagnostics.getThreadDump(Collections.enumeration(List.of(locale))).getBytes(StandardCharsets.UTF_8));
                }
            }
            console.println("DUMPED");
        } catch (Exception e) {
            e.printStackTrace(console);
            console.println("FAILED");
        }
        console.flush();
    }

    private static byte[] hadoopStacks() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, false, StandardCharsets.UTF_8)) {
            ReflectionUtils.printThreadInfo(out, "");
        }
        return buffer.toByteArray();
    }

    /** Whether two threads' "Blocked on" the same lock go with "Blocked by" two different threads. */
    private static boolean twoOwners(byte[] stacks) {
        Map<String, Set<String>> owners = new HashMap<>();
        String on = null;
        for (String line : new String(stacks, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("  Blocked on ")) {
                on = line.substring(13);
            } else if (line.startsWith("  Blocked by ") && on != null) {
                owners.computeIfAbsent(on, k -> new HashSet<>()).add(line.substring(13));
            }
        }
        return owners.values().stream().anyMatch(o -> o.size() > 1);
    }
}
