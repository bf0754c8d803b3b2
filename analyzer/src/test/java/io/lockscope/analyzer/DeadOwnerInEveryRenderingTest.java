package io.lockscope.analyzer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dead-owner scenario (a thread ended holding a ReentrantLock while three batch writers wait for
 * it) in every rendering that names a lock's owner by its id and name without listing the owner
 * itself: each must find the owner dead, as jcmd's dump of the same JVM (where one was taken) finds
 * the lock ownerless.
 * Only Arthas's listing of every thread counts here; its listings of some threads must not (see
 * ArthasDumpTest).
 */
class DeadOwnerInEveryRenderingTest {

    @ParameterizedTest(name = "{0}/dead-owner.{1}")
    @CsvSource({
        "jdk17, dropwizard-threads.txt, frameworks-jcmd.txt", "jdk25, dropwizard-threads.txt, frameworks-jcmd.txt",
        "jdk17, tomcat-threaddump.txt, frameworks-jcmd.txt", "jdk25, tomcat-threaddump.txt, frameworks-jcmd.txt",
        "jdk17, arthas.txt, arthas-jcmd.txt", "jdk25, arthas.txt, arthas-jcmd.txt",
        "jdk17, ignite.log.gz, ignite-jcmd.txt", "jdk25, ignite.log.gz, ignite-jcmd.txt",
        "jdk17, micronaut-threaddump.json, micronaut-jcmd.txt", "jdk25, micronaut-threaddump.json, micronaut-jcmd.txt",
        "jdk17, actuator.txt, actuator-jcmd.txt", "jdk25, actuator.txt, actuator-jcmd.txt",
        "jdk17, actuator.json, actuator-jcmd.txt", "jdk25, actuator.json, actuator-jcmd.txt",
        "jdk17, boot1-dump.json, boot1-jcmd.txt", "jdk25, boot1-dump.json, boot1-jcmd.txt",
        "jdk17, threadinfo.txt, threadinfo-jcmd.txt", "jdk25, threadinfo.txt, threadinfo-jcmd.txt",
        "jdk17, jolokia-threads.json, ", "jdk25, jolokia-threads.json, "})
    void theOwnerThatEndedIsFoundDead(String jdk, String rendering, String jcmd) {
        Dumps.deadOwnerFound(Dumps.sample(jdk + "/dead-owner." + rendering), jcmd == null ? null : Dumps.sample(jdk + "/dead-owner." + jcmd));
    }
}
