package io.lockscope.analyzer.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes lockscope-report.json. */
public final class JsonReportWriter {

    private JsonReportWriter() {
    }

    /** Writes the report; returns whether it replaced a file of that name. */
    public static boolean write(ObjectNode report, Path file) throws IOException {
        return ReportFile.write(file, out -> ReportModel.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, report));
    }
}
