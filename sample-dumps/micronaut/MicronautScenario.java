package lockscope.micronaut;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * A Micronaut 4 application with its thread dump endpoint open ({@code GET /threaddump},
 * micronaut-management), on a free port it prints as "PORT n"; then one scenario of
 * ../scenarios/Scenario.java in the same JVM, which prints READY when its lock state is reached.
 *
 * <p>Usage: java -cp CLASSES:CLASS_PATH lockscope.micronaut.MicronautScenario SCENARIO
 */
public class MicronautScenario {

    public static void main(String[] args) throws Exception {
        ApplicationContext context = Micronaut.build(new String[0])
                .properties(Map.of("endpoints.threaddump.enabled", true, "endpoints.threaddump.sensitive", false,
                        "micronaut.server.port", -1))
                .start();
        System.out.println("PORT " + context.getBean(EmbeddedServer.class).getPort());
        // Scenario is in the unnamed package, which a named package cannot import
        Method scenario = Class.forName("Scenario").getMethod("main", String[].class);
        scenario.invoke(null, (Object) new String[] {args[0]});
    }
}
