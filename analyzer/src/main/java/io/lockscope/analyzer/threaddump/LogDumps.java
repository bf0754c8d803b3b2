package io.lockscope.analyzer.threaddump;

/**
 * A decoder of dumps that a program writes into its log among its other lines, in a shape of its own
 * (Hadoop's printThreadInfo, Ignite's dumpThreads): {@link HotSpotTextDecoder} hands it each line of
 * a log outside HotSpot's own dumps, wherever in the log the dump is.
 */
interface LogDumps {

    /** Takes the line if it belongs to a dump of this decoder's; false leaves it to the HotSpot decoder. */
    boolean line(String raw, long n);

    /** The text ended, or the caller knows the dump did: what was read of it is kept. */
    void finish(boolean endOfFile);

    /** How many dumps it has read. */
    int dumps();

    /** How its last dump shows it was cut short (a count it announced and did not reach); empty if it does not. */
    default String cutShort() {
        return "";
    }

    /** The line of the dump the text ended in, when {@link #finish} was told of the end of the file there; 0 if none. */
    long openAtEnd();

    /** The log pipeline's prefix it learned to take off its dumps' lines; empty if none (it learns none). */
    default String learnedPrefix() {
        return "";
    }

    /** Whether one of the decoders takes the line. */
    static boolean anyTakes(java.util.List<LogDumps> decoders, String raw, long n) {
        for (LogDumps d : decoders) {
            if (d.line(raw, n)) {
                return true;
            }
        }
        return false;
    }

    /** Reads a file of this decoder's dumps (a log, or a dump taken out of one); returns how many. */
    default int decode(LineSource lines) throws java.io.IOException {
        lines.forEach(this::line, () -> finish(true));
        return dumps();
    }
}
