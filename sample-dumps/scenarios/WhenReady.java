package lockscope.scenarios;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.function.Consumer;

/**
 * Runs a scenario of Scenario.java in this JVM and, once it prints READY, hands the console to
 * {@code dump} on a daemon thread of the given name: how the programs that have a library dump the
 * scenario's threads (FrameworkDumps, IgniteDumps) wait for its lock state. The scenario's own output
 * still reaches the console, which capture.sh watches.
 */
public final class WhenReady {

    private WhenReady() {
    }

    public static void run(String scenario, String threadName, Consumer<PrintStream> dump) throws Exception {
        PrintStream console = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) {
                console.write(b);
                if (b != '\n') {
                    line.append((char) b);
                    return;
                }
                if (line.toString().equals("READY")) {
                    Thread dumper = new Thread(() -> dump.accept(console), threadName);
                    dumper.setDaemon(true);
                    dumper.start();
                }
                line.setLength(0);
            }
        }, true));
        // Scenario is in the unnamed package, which a named package cannot import
        Method main = Class.forName("Scenario").getMethod("main", String[].class);
        main.invoke(null, (Object) new String[] {scenario});
    }
}
