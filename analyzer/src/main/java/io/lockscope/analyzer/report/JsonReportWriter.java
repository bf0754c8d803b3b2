package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes lockscope-report.json. */
public final class JsonReportWriter {

    private JsonReportWriter() {
    }

    public static void write(ObjectNode report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        ReportModel.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
    }
}
