package lockscope.actuator;

import java.lang.reflect.Method;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application with the actuator's thread dump endpoint, in which one scenario of
 * ../scenarios/Scenario.java runs: what a service in production hands out when asked
 * {@code GET /actuator/threaddump}. Prints "PORT n" once the web server listens, then runs the
 * scenario, which prints READY when its lock state is reached.
 *
 * <p>Usage: java -cp CLASSES:SPRING_CLASS_PATH lockscope.actuator.ActuatorScenario SCENARIO
 */
@SpringBootApplication
public class ActuatorScenario {

    public static void main(String[] args) throws Exception {
        SpringApplication app = new SpringApplication(ActuatorScenario.class);
        app.setDefaultProperties(java.util.Map.of(
                "server.port", "0",
                "server.address", "127.0.0.1",
                "management.endpoints.web.exposure.include", "threaddump",
                "spring.main.banner-mode", "off",
                "logging.level.root", "warn"));
        ConfigurableApplicationContext context = app.run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        System.out.println("PORT " + port);
        System.out.flush();
        // Scenario is in the unnamed package, which a named package cannot import
        Method scenario = Class.forName("Scenario").getMethod("main", String[].class);
        scenario.invoke(null, (Object) args);
    }
}
