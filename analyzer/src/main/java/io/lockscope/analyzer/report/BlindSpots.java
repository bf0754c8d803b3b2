package io.lockscope.analyzer.report;

import io.lockscope.model.JvmHistory;
import io.lockscope.model.Snapshot;
import java.util.ArrayList;
import java.util.List;

/** What a JVM's inputs could not show, and the capture that would show it next time. */
final class BlindSpots {

    private BlindSpots() {
    }

    static List<String> of(JvmHistory jvm) {
        List<String> out = new ArrayList<>();
        List<Snapshot> s = jvm.snapshots();
        if (s.stream().noneMatch(x -> x.synchronizerOwners().shown())) {
            out.add("Owners of java.util.concurrent locks are unknown: no dump of this JVM shows them (a HotSpot dump taken "
                    + "without -l, or a format that never does). Next time: jcmd <pid> Thread.print -l (or jstack -l <pid>).");
        }
        if (s.stream().anyMatch(x -> x.format().equals("jcmd-json") || x.format().equals("jcmd-text"))) {
            out.add("jcmd Thread.dump_to_file, as JSON or as text, never names the owner of a java.util.concurrent lock. "
                    + "Take a text dump with jcmd <pid> Thread.print -l beside it.");
        }
        if (s.stream().noneMatch(x -> x.monitorOwners().shown())) {
            out.add("No dump shows monitor owners or waiters (JSON before JDK 25, a ThreadMXBean rendering, or jstack -F "
                    + "of JDK 5 to 8). Next time: jcmd <pid> Thread.print -l.");
        }
        if (s.stream().anyMatch(x -> x.format().startsWith("actuator-"))) {
            out.add("The actuator's thread dump carries no pid and no JavaThread addresses, so it is never joined with other "
                    + "dumps of the same JVM, and it lists no virtual threads. Where you can reach the JVM, "
                    + "jcmd <pid> Thread.print -l beside it joins the rest.");
        }
        if (s.stream().anyMatch(x -> x.format().equals("threadinfo"))) {
            out.add("ThreadInfo.toString() prints eight frames of each thread: a lock held further down is known only through "
                    + "the threads that wait for it, and where it was taken is lost. It carries no pid, so it is never joined "
                    + "with other dumps of the same JVM. jcmd <pid> Thread.print -l prints whole stacks.");
        }
        if (s.stream().anyMatch(x -> x.format().equals("hadoop-stacks"))) {
            out.add("Hadoop's thread dump (/stacks, printThreadInfo) asks for one thread at a time, so it is not one instant: a "
                    + "thread may have moved on before the next was asked. It prints twenty frames of each thread, no lock a thread "
                    + "holds (a monitor's holder is known only from the threads blocked on it), never the owner of a "
                    + "java.util.concurrent lock, and no pid. jcmd <pid> Thread.print -l prints all of it at one instant.");
        }
        if (s.stream().anyMatch(x -> x.format().equals("dropwizard-threads"))) {
            out.add("Dropwizard Metrics' thread dump (/threads) leaves out the monitor each thread took last: it is known only from "
                    + "the threads blocked on it. It carries no pid, so it is never joined with other dumps of the same JVM. "
                    + "jcmd <pid> Thread.print -l shows every monitor where it was taken.");
        }
        if (s.stream().anyMatch(x -> x.format().equals("jolokia-json"))) {
            out.add("Jolokia's ThreadInfo objects carry no pid and no JavaThread addresses, so they are never joined with "
                    + "other dumps of the same JVM. Jolokia can fetch HotSpot's own dump too, which names the JVM: "
                    + "GET /jolokia/exec/com.sun.management:type=DiagnosticCommand/threadPrint/-l.");
        }
        if (s.stream().anyMatch(x -> x.format().equals("tomcat-threaddump"))) {
            out.add("Tomcat's thread dump (the Manager's threaddump) carries no pid and no JavaThread addresses, so it is never "
                    + "joined with other dumps of the same JVM; dumps fetched into one file are one JVM's. "
                    + "jcmd <pid> Thread.print -l beside it joins the rest.");
        }
        if (s.stream().anyMatch(x -> x.format().equals("ignite-threads"))) {
            out.add("Ignite's thread dump in a node's log carries no pid, so it is never joined with other dumps of the same JVM; "
                    + "the dumps of one log are one JVM's. jcmd <pid> Thread.print -l on the node joins the rest.");
        }
        if (s.stream().anyMatch(x -> x.format().equals("arthas"))) {
            out.add("Arthas's thread -n 3, thread ID and thread -b list some threads only, and a listing redirected to a file "
                    + "does not say which command made it: an owner such a listing names and does not list is shown alive, of "
                    + "unknown state. A thread that ended holding a lock is found in a session's thread -n -1, kept with its prompt.");
        }
        if (s.stream().anyMatch(x -> x.format().equals("jstack-f"))) {
            out.add("jstack -F of JDK 5 to 8 names threads only by their OS thread id, and its \"BLOCKED\" is the VM's state: "
                    + "sleeping, waiting, parked and blocked alike. Where jcmd gets no answer, jhsdb jstack --locks --pid <pid> "
                    + "(JDK 9+) prints names, states and lock lines.");
        }
        if (s.size() < 2) {
            out.add("One dump is one instant: a slow lock and a stuck one look alike. "
                    + "Take three dumps some seconds apart.");
        }
        if (s.stream().noneMatch(x -> x.format().equals("hprof"))) {
            out.add("A thread that died holding a lock, and the readers of a read/write lock, cannot be named from a "
                    + "thread dump. A heap dump (jcmd <pid> GC.heap_dump) shows them.");
        }
        if (s.stream().allMatch(x -> x.format().equals("hprof"))) {
            out.add("A heap dump shows no monitor owners or waiters, and no \"waiting to lock\". "
                    + "A thread dump of the same moment (jcmd <pid> Thread.print -l) shows them.");
        }
        if (!jvm.recordings().isEmpty()) {
            out.add("A recording shows waits that ended; a park or a blocked entry that never ended has no event, only a "
                    + "thread dump shows who is stuck. It never shows who holds a java.util.concurrent lock.");
        }
        if (s.stream().anyMatch(x -> x.format().equals("jstack") || x.format().equals("jhsdb"))) {
            out.add("jstack lists virtual threads only while they are mounted. "
                    + "jcmd <pid> Thread.dump_to_file -format=json lists them all.");
        }
        return out;
    }
}
