import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Prints the threads of another JVM as applications and JMX tools log them: attaches, starts its
 * local management agent, calls ThreadMXBean.dumpAllThreads(true, true) over JMX, and prints each
 * ThreadInfo with its toString(), the JDK's own rendering (at most 8 frames a thread).
 *
 * <p>Usage: java ThreadInfoDump.java PID
 */
public class ThreadInfoDump {

    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME,
                    ThreadMXBean.class);
            for (ThreadInfo info : threads.dumpAllThreads(true, true)) {
                System.out.print(info);
            }
        }
    }
}
