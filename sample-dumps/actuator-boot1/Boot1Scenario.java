package lockscope.boot1;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.embedded.EmbeddedWebApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot 1.5 application with the actuator, in which one scenario of ../scenarios/Scenario.java
 * runs: what a service still on Boot 1.x hands out when asked {@code GET /dump}. Prints "PORT n" once
 * the web server listens, then runs the scenario, which prints READY when its lock state is reached.
 * Written for Java 8 (Boot 1.5 reads this class's file when it starts).
 *
 * <p>Usage: java --add-opens java.base/java.lang=ALL-UNNAMED -cp CLASSES:BOOT1_CLASS_PATH
 * lockscope.boot1.Boot1Scenario SCENARIO
 */
@SpringBootApplication
public class Boot1Scenario {

    public static void main(String[] args) throws Exception {
        SpringApplication app = new SpringApplication(Boot1Scenario.class);
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        properties.put("management.security.enabled", "false");
        properties.put("spring.main.banner-mode", "off");
        properties.put("logging.level.root", "warn");
        app.setDefaultProperties(properties);
        ConfigurableApplicationContext context = app.run();
        int port = ((EmbeddedWebApplicationContext) context).getEmbeddedServletContainer().getPort();
        System.out.println("PORT " + port);
        System.out.flush();
        // Scenario is in the unnamed package, which a named package cannot import
        Method scenario = Class.forName("Scenario").getMethod("main", String[].class);
        scenario.invoke(null, (Object) args);
    }
}
