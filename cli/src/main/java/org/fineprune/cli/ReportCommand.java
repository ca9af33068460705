package org.fineprune.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fineprune.report.ReportFiles;
import org.fineprune.report.SweepReport;
import org.fineprune.reproducibility.ResultsLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes (again) the Markdown report, CSV summary and plots of a run folder. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes report.md, summary.csv and plots/*.png of a sweep's run folder.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "A run folder holding results.jsonl, or that file.")
    Path runDir;

    @Option(names = "--force", description = "Replace the report an earlier sweep or report wrote.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ReportFiles files = SweepReport.write(SweepReport.claim(folder(runDir), force));
        spec.commandLine().getOut().println("report written to " + files.report());
        return 0;
    }

    /** The run folder of {@code path}: the path itself, or the folder of the results.jsonl it names. */
    private static Path folder(Path path) {
        if (!Files.isRegularFile(path)) {
            return path;
        }
        if (!path.getFileName().toString().equals(ResultsLog.FILE_NAME)) {
            throw new IllegalArgumentException(path + ": not a run folder or its " + ResultsLog.FILE_NAME);
        }
        return path.toAbsolutePath().getParent();
    }
}
