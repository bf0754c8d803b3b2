package lockscope.ignite;

import java.io.PrintStream;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import lockscope.scenarios.WhenReady;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.internal.util.IgniteUtils;
import org.apache.ignite.logger.java.JavaLogger;
import org.apache.ignite.logger.java.JavaLoggerFormatter;

/**
 * Runs one scenario of ../scenarios/Scenario.java and, once it prints READY, writes the log an Apache
 * Ignite node keeps, with Ignite's own thread dump in it: Ignite's JavaLogger over java.util.logging,
 * formatted by Ignite's JavaLoggerFormatter ({@code [19:53:35,123][WARNING][main][IgniteUtils] ...}), as
 * the {@code config/java.util.logging.properties} of Ignite's distribution sets it up. Some hundreds of
 * lines of the node's own (its periodic metrics), then {@code IgniteUtils.dumpThreads}, what a node writes
 * when a system-critical thread is blocked or a partition map exchange does not finish, then the same
 * again three seconds later. Then prints DUMPED. Ignite runs with the {@code --add-opens} its
 * documentation lists for JDK 11 and later.
 *
 * <p>Usage: java --add-opens ... -cp CLASSES:CLASS_PATH lockscope.ignite.IgniteDumps SCENARIO LOG_OUT
 */
public class IgniteDumps {

    public static void main(String[] args) throws Exception {
        String logOut = args[1];
        System.setProperty("IGNITE_QUIET", "false");
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        FileHandler file = new FileHandler(logOut);
        file.setEncoding("UTF-8");
        file.setFormatter(new JavaLoggerFormatter());
        root.addHandler(file);
        IgniteLogger log = new JavaLogger(Logger.getLogger("org.apache.ignite"), false);
        // what a node's start does first: start the clock Ignite reads its time from (the dump's "Thread dump at")
        IgniteUtils.onGridStart();
        WhenReady.run(args[0], "ignite-dump", console -> dump(log, file, console));
    }

    private static void dump(IgniteLogger log, FileHandler file, PrintStream console) {
        try {
            IgniteLogger kernal = log.getLogger("org.apache.ignite.internal.IgniteKernal");
            for (int i = 1; i <= 120; i++) {
                kernal.info(metrics(i));
            }
            IgniteLogger utils = log.getLogger(IgniteUtils.class);
            IgniteUtils.dumpThreads(utils);
            kernal.info(metrics(121));
            Thread.sleep(3000);
            IgniteUtils.dumpThreads(utils);
            kernal.info(metrics(122));
            file.flush();
            console.println("DUMPED");
        } catch (Exception e) {
            e.printStackTrace(console);
            console.println("FAILED");
        }
        console.flush();
    }

    /** The node's periodic message, as IgniteKernal logs it every minute. */
    private static String metrics(int minute) {
        return String.format("%nMetrics for local node (to disable set 'metricsLogFrequency' to 0)%n"
                + "    ^-- Node [id=5e4c2a8f, uptime=%02d:%02d:00.003]%n"
                + "    ^-- Cluster [hosts=1, CPUs=2, servers=1, clients=0, topVer=1, minorTopVer=0]%n"
                + "    ^-- Network [addrs=[127.0.0.1], discoPort=47500, commPort=47100]%n"
                + "    ^-- CPU [CPUs=2, curLoad=0.67%%, avgLoad=1.2%%, GC=0%%]%n"
                + "    ^-- Heap [used=%dMB, free=81.4%%, comm=64MB]%n"
                + "    ^-- Outbound messages queue [size=0]%n"
                + "    ^-- Public thread pool [active=0, idle=0, qSize=0]%n"
                + "    ^-- System thread pool [active=0, idle=6, qSize=0]",
                minute / 60, minute % 60, 40 + minute % 11);
    }
}
