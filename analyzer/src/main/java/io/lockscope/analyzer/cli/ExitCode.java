package io.lockscope.analyzer.cli;

/** Every exit code lockscope uses, in one place; listed in --help. */
public final class ExitCode {

    /** Done, and no finding at or above --fail-on. */
    public static final int OK = 0;
    /** Done, and at least one finding at or above --fail-on. */
    public static final int FINDINGS = 1;
    /** The command line is wrong. */
    public static final int USAGE = 2;
    /** No input could be read. */
    public static final int NOTHING_READ = 3;
    /** lockscope itself failed (a bug, or a report could not be written). */
    public static final int INTERNAL = 4;

    static final String HELP = "%nExit codes:%n"
            + "  0  done; no finding at or above --fail-on%n"
            + "  1  findings at or above --fail-on%n"
            + "  2  bad usage%n"
            + "  3  no input could be read%n"
            + "  4  lockscope failed (could not write a report, or a bug)%n";

    private ExitCode() {
    }
}
