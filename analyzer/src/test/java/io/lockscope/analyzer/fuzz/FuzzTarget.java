package io.lockscope.analyzer.fuzz;

/**
 * The same targets as {@link FuzzReadersTest}, for Jazzer's command line (fuzz/run.sh), where
 * libFuzzer's own options set the duration: {@code -Dlockscope.fuzz.target=heapDump} picks one.
 */
public final class FuzzTarget {

    private static final String TARGET = System.getProperty("lockscope.fuzz.target", "anyBytes");

    private FuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        switch (TARGET) {
            case "anyBytes" -> FuzzReadersTest.read(data, new byte[0]);
            case "threadDumpText" -> FuzzReadersTest.read(data, FuzzSeeds.TEXT_MAGIC);
            case "jsonThreadDump" -> FuzzReadersTest.read(data, FuzzSeeds.JSON_MAGIC);
            case "heapDump" -> FuzzReadersTest.read(data, FuzzSeeds.HPROF_MAGIC);
            case "recording" -> FuzzReadersTest.read(data, FuzzSeeds.JFR_MAGIC);
            case "archive" -> FuzzReadersTest.read(data, FuzzSeeds.ZIP_MAGIC);
            default -> throw new IllegalArgumentException("no fuzz target " + TARGET);
        }
    }
}
