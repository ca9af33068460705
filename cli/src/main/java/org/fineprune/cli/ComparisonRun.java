package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.fineprune.experiments.ExperimentPlan;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.Protocol;
import org.fineprune.experiments.Subject;
import org.fineprune.experiments.Sweep;
import org.fineprune.report.ReportFiles;
import org.fineprune.report.SweepReport;
import org.fineprune.reproducibility.ResultsLog;

/**
 * What {@code compare} and {@code demo} share: Fine-Pruning's comparison as a sweep over the defense
 * and seed axes, its records ({@code results.jsonl}, which {@code reproduce} replays) and its report
 * in one output folder.
 *
 * <p>The folder's rule ({@link OutputFolder}): files the command did not write are refused; an
 * unfinished earlier run resumes where it stopped; a finished one is replaced only with
 * {@code --force}, and then its records are started afresh.
 */
final class ComparisonRun {
    /** The defense axis of the comparison, in the paper's order. */
    static final List<String> DEFENSES = List.of("fine-tuning", "pruning", "fine-pruning", "multi-layer-fine-pruning");

    private static final String WRITER = "comparison";

    private ComparisonRun() {}

    /**
     * The comparison of {@code subject} named {@code name}, with {@code settings}, on one engine over
     * {@code seeds} and {@code protocols}.
     */
    static ExperimentPlan plan(String name, Subject subject, Map<String, Object> settings, String engine,
            List<Long> seeds, List<Protocol> protocols) {
        return plan(name, subject, DEFENSES, settings, engine, seeds, protocols);
    }

    /** The same over the defense axis {@code defenses} instead of the comparison's four. */
    static ExperimentPlan plan(String name, Subject subject, List<String> defenses, Map<String, Object> settings,
            String engine, List<Long> seeds, List<Protocol> protocols) {
        return new ExperimentPlan(name, subject, defenses, settings,
                new Sweep(Map.of(), List.of(engine), seeds, protocols, null), null);
    }

    /**
     * Runs {@code plan} into {@code out}, writes the report there and prints it.
     *
     * @param force whether a finished earlier run's files may be replaced
     */
    static void run(ExperimentPlan plan, Path out, boolean force, PrintWriter stdout) throws IOException {
        plan.check(); // settings, and layers the network lacks, refused before the folder is touched
        OutputFolder records = OutputFolder.claim(out, WRITER, ResultsLog.FILE_NAME::equals, force);
        OutputFolder report = SweepReport.claim(out, true);
        Path results = out.resolve(ResultsLog.FILE_NAME);
        boolean resume = !force && Files.isRegularFile(results);
        // Written through the folder so that its manifest knows the records as this command's own.
        records.write(ResultsLog.FILE_NAME, file -> {
            if (resume) {
                Files.copy(results, file, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.writeString(file, "");
            }
        });
        plan.run(out, ProgressBars.forThisProcess().progress());
        ReportFiles files = SweepReport.write(report);
        records.finish();
        stdout.print(Files.readString(files.report()));
        stdout.flush();
    }
}
