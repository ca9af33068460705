package org.fineprune.experiments.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fineprune.experiments.report.SweepReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes (again) the Markdown report, CSV summary and plots of a run folder. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes report.md, summary.csv and plots/*.png of a sweep's run folder.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "A run folder holding results.jsonl.")
    Path runDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        SweepReport.write(runDir);
        spec.commandLine().getOut().println("report written to " + runDir.resolve("report.md"));
        return 0;
    }
}
