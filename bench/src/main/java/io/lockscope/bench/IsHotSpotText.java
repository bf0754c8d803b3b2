package io.lockscope.bench;

import io.lockscope.analyzer.input.Detection;
import io.lockscope.analyzer.input.FormatDetector;
import io.lockscope.analyzer.input.InputFormat;
import java.io.IOException;
import java.nio.file.Path;

/** Exits 0 if a file is an uncompressed HotSpot text dump, 1 if not: for bench/threaddump.sh. */
public final class IsHotSpotText {

    private IsHotSpotText() {
    }

    public static void main(String[] args) throws IOException {
        Detection d = FormatDetector.detect(Path.of(args[0]));
        System.exit(d.format() == InputFormat.JSTACK && !d.gzip() ? 0 : 1);
    }
}
