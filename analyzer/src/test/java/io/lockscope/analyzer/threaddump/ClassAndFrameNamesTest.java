package io.lockscope.analyzer.threaddump;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two rewrites that turn other tools' names into HotSpot's: a slash in a name is a separator
 * in some places and part of a class's name in others. Each case is a name as a JVM prints it.
 */
class ClassAndFrameNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // the Serviceability Agent's lock classes, as the VM names them inside
        "java/util/concurrent/locks/ReentrantLock$NonfairSync | java.util.concurrent.locks.ReentrantLock$NonfairSync",
        "java/lang/Class for java/lang/String                 | java.lang.Class for java.lang.String",
        // HotSpot's names, unchanged: a hidden class's address, a JDK 8 lambda's number
        "java.util.concurrent.locks.ReentrantLock$NonfairSync | java.util.concurrent.locks.ReentrantLock$NonfairSync",
        "Scenario$$Lambda/0x0000000800c03000                  | Scenario$$Lambda/0x0000000800c03000",
        "Main$$Lambda$1/1149319664                            | Main$$Lambda$1/1149319664",
        "com/example/Main$$Lambda$1/1149319664                | com.example.Main$$Lambda$1/1149319664"})
    void lockClassesAsHotSpotNamesThem(String printed, String expected) {
        assertEquals(expected, ServiceabilityAgentText.binaryName(printed));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // StackTraceElement.toString(): class loader and module before the class
        "app//Scenario.nested(Scenario.java:104)                      | Scenario.nested(Scenario.java:104)",
        "java.base@17.0.15/java.lang.Thread.run(Thread.java:840)      | java.lang.Thread.run(Thread.java:840)",
        // a named loader and a module with its version, as StackTraceElement.toString()'s javadoc shows them
        "com.foo.loader/foo@9.0/com.foo.Main.run(Main.java:101)       | com.foo.Main.run(Main.java:101)",
        // HotSpot's frames, unchanged, the module inside the parentheses
        "java.lang.Thread.run(java.base@17/Thread.java:840)           | java.lang.Thread.run(java.base@17/Thread.java:840)",
        "Scenario$$Lambda$14/0x0000000800c03000.run(Unknown Source)   | Scenario$$Lambda$14/0x0000000800c03000.run(Unknown Source)",
        "app//Scenario$$Lambda/0x00007f26ec427840.run(Unknown Source) | Scenario$$Lambda/0x00007f26ec427840.run(Unknown Source)",
        "java.lang.UNIXProcess$$Lambda$14/1080799941.run(Unknown Source) | java.lang.UNIXProcess$$Lambda$14/1080799941.run(Unknown Source)"})
    void framesAsHotSpotNamesThem(String printed, String expected) {
        assertEquals(expected, ThreadMXBeanText.withoutLoaderAndModule(printed));
    }
}
