package io.lockscope.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor of reading a text log line by line in Java: {@code BufferedReader.readLine} over the
 * whole file, counting lines and characters and nothing else. Prints "lines chars seconds".
 * Usage: java -cp "$(bench/classpath.sh)" io.lockscope.bench.LineScan FILE
 */
public final class LineScan {

    private LineScan() {
    }

    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        long lines = 0;
        long chars = 0;
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines++;
                chars += line.length();
            }
        }
        System.out.printf("%d %d %.3f%n", lines, chars, (System.nanoTime() - start) / 1e9);
    }
}
