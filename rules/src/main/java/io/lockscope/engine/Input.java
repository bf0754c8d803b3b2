package io.lockscope.engine;

/** Facts a rule needs from its inputs. */
public enum Input {
    /** Who holds and who waits for monitors or ownable synchronizers: any thread dump. */
    OWNERS_AND_WAITERS("a thread dump that shows lock owners and waiters"),
    /** Owners of java.util.concurrent locks: a thread dump taken with -l, or a heap dump. */
    SYNCHRONIZER_OWNERS("a thread dump taken with -l (Locked ownable synchronizers), or a heap dump"),
    /** A JDK Flight Recorder recording of the JVM. */
    RECORDING("a JFR recording (jcmd <pid> JFR.start, then JFR.dump), with jdk.JavaExceptionThrow enabled for exceptions"),
    /** A thread dump that lists virtual threads with their carriers. */
    VIRTUAL_THREADS("a thread dump of JDK 21 or later that shows virtual threads: jcmd <pid> Thread.dump_to_file "
            + "-format=json lists them all, jstack those mounted"),
    /** Several snapshots of the same JVM over time. */
    HISTORY("several dumps of the same JVM taken some seconds apart");

    private final String description;

    Input(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
