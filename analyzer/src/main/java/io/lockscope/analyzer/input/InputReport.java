package io.lockscope.analyzer.input;

/**
 * One input file and what became of it.
 *
 * @param path      as the user named it (relative paths stay relative)
 * @param snapshots how many dumps were read from it
 * @param message   for people: what was read, or why not
 */
public record InputReport(String path, InputFormat format, InputStatus status, String message, int snapshots, long bytes) {
}
