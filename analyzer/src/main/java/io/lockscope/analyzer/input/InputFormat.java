package io.lockscope.analyzer.input;

import io.lockscope.analyzer.threaddump.TextDialect;

/** Every format lockscope recognizes, read or not yet. Told from content, never from the name. */
public enum InputFormat {
    JSTACK(TextDialect.JSTACK.id(), "HotSpot thread dump (jstack, jcmd Thread.print, SIGQUIT)", true),
    JCMD_JSON("jcmd-json", "JSON thread dump (jcmd Thread.dump_to_file -format=json)", true),
    JCMD_TEXT("jcmd-text", "plain-text thread dump of jcmd Thread.dump_to_file (JDK 21+, its default form)", true),
    HPROF("hprof", "HPROF heap dump", true),
    JFR("jfr", "JDK Flight Recorder recording", true),
    JHSDB(TextDialect.JHSDB.id(), "Serviceability Agent thread dump (jhsdb jstack, JDK 9+)", true),
    JSTACK_F(TextDialect.JSTACK_F.id(), "jstack -F (Serviceability Agent) thread dump, JDK 5 to 8", true),
    THREADINFO(TextDialect.THREADINFO.id(), "ThreadInfo.toString() text, as applications and JMX tools log threads (\"name\" prio=5 Id=N STATE)", true),
    THREADINFO_TEXT(TextDialect.THREADINFO_TEXT.id(), "JMX demo ThreadInfo text (\"name\" id=N in STATE)", true),
    ACTUATOR_TEXT(TextDialect.ACTUATOR_TEXT.id(), "Spring Boot actuator text thread dump (GET /actuator/threaddump, text/plain)", true),
    ACTUATOR_JSON("actuator-json", "Spring Boot actuator JSON thread dump (GET /actuator/threaddump; Boot 1.x: GET /dump; Micronaut: GET /threaddump)", true),
    JOLOKIA_JSON("jolokia-json", "Jolokia's JSON response to ThreadMXBean.dumpAllThreads (exec over HTTP): ThreadInfo objects in its \"value\"",
            true),
    VISUALVM_TEXT(TextDialect.VISUALVM_TEXT.id(), "VisualVM text thread dump (\"name\" - Thread t@N, locks as Class@hash)", true),
    HADOOP_STACKS("hadoop-stacks", "Hadoop's thread dump (ReflectionUtils.printThreadInfo: the /stacks page and the logs of Hadoop,"
            + " HBase and Hive daemons)", true),
    DROPWIZARD_THREADS("dropwizard-threads", "Dropwizard Metrics' thread dump (ThreadDump: a Dropwizard application's admin /threads)",
            true),
    TOMCAT_THREADDUMP("tomcat-threaddump", "Apache Tomcat's thread dump (the Manager's /manager/text/threaddump, Diagnostics.getThreadDump)",
            true),
    ARTHAS("arthas", "Arthas's thread listings (thread -n -1, thread -b, thread ID: a session's output, or a command's redirected)",
            true),
    IGNITE_THREADS("ignite-threads", "Apache Ignite's thread dump (IgniteUtils.dumpThreads, as a node writes it into its log)", true),
    JROCKIT("jrockit", "BEA/Oracle JRockit thread dump", true),
    JAVACORE("javacore", "IBM J9 / OpenJ9 javacore", true),
    ANR("anr", "Android ART thread dump (ANR trace, ----- pid N at ... -----)", true),
    CAPTURE_MANIFEST("lockscope-capture", "lockscope capture's manifest (capture.json)", false),
    ZIP("zip", "zip archive", true),
    TAR("tar", "tar archive", true),
    UNKNOWN("unknown", "not a format lockscope knows", false);

    private final String id;
    private final String description;
    private final boolean readable;

    InputFormat(String id, String description, boolean readable) {
        this.id = id;
        this.description = description;
        this.readable = readable;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public boolean readable() {
        return readable;
    }

    /** The dialect of HotSpot-shaped text this format is, for the reader; empty for any other format. */
    public java.util.Optional<TextDialect> dialect() {
        for (TextDialect d : TextDialect.values()) {
            if (d.id().equals(id)) {
                return java.util.Optional.of(d);
            }
        }
        return java.util.Optional.empty();
    }
}
