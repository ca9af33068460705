package org.fineprune.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fineprune.core.TrainingConfig;
import org.fineprune.defenses.finepruning.ComparisonConfig;
import org.fineprune.defenses.finepruning.Phases;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.comparison.ComparisonRecord;
import org.fineprune.experiments.comparison.FashionMnistComparison;
import org.fineprune.experiments.comparison.SeedComparison;
import org.fineprune.report.ComparisonTable;

/** What {@code compare} and {@code demo} share: progress, the settings line and the tables they write. */
final class ComparisonFiles {
    private ComparisonFiles() {}

    /** The run records: one line per seed. */
    static final String RECORDS = "comparison.jsonl";

    /**
     * {@code out} checked before any work is done: see {@link OutputFolder#claim}.
     *
     * @param force whether an earlier comparison's files may be replaced
     */
    static OutputFolder claim(Path out, boolean force) throws IOException {
        return OutputFolder.claim(out, "comparison", ComparisonFiles::isResult, force);
    }

    private static boolean isResult(String name) {
        return name.equals(ComparisonTable.MARKDOWN) || name.equals(ComparisonTable.CSV) || name.equals(RECORDS);
    }

    /** One line per phase on standard error and its progress ({@link ProgressBars}); nothing in CI. */
    static Phases phases() {
        if (System.getenv("CI") != null) {
            return Phases.NONE;
        }
        ProgressBars progress = ProgressBars.forThisProcess();
        PrintStream err = System.err;
        return phase -> {
            err.println(phase + " ...");
            return progress.steps(phase);
        };
    }

    static String fashionMnistTitle() {
        return "Fine-Pruning comparison on the Fashion-MNIST BadNet";
    }

    /** The settings in one Markdown line. */
    static String settings(ComparisonConfig config) {
        TrainingConfig t = config.fineTuning();
        return String.format(Locale.ROOT, "Pruning stops at a %s-point validation accuracy drop (first model over it); "
                + "multi-layer pruning: %s; fine-tuning: %d %s of %s at learning rate %s, batch %d, on %s.",
                trim(config.drop()), config.layers().isEmpty() ? "all conv layers, one global ranking"
                        : config.fractions().isEmpty() ? String.join(", ", config.layers()) + ", one global ranking"
                        : "shares " + config.fractions(),
                t.epochs(), t.epochs() == 1 ? "epoch" : "epochs", t.optimizer(), trim(t.learningRate()), t.batchSize(),
                t.engine());
    }

    /** Writes the tables of a Fashion-MNIST run into {@code out} and prints the Markdown. */
    static void write(OutputFolder out, String title, FashionMnistComparison comparison, List<SeedComparison> runs,
            PrintWriter stdout) throws IOException {
        write(out, title, List.of("Each seed trains its own BadNet (small CNN, 4x4 checkerboard bottom-right, 10% "
                + "poisoned, target 0) on Fashion-MNIST without a held-out tenth, which is the defender's clean "
                + "validation data (6,000 images); scores are on the 10,000 test images and their 9,000 triggered "
                + "copies not of class 0.", settings(comparison.config())), runs, comparison.config(), stdout);
    }

    /**
     * Writes the tables and the run records ({@value #RECORDS}) of {@code runs}, made with {@code
     * config} (each with its own fine-tuning seed), into {@code out}, and prints the Markdown.
     */
    static void write(OutputFolder out, String title, List<String> notes, List<SeedComparison> runs, ComparisonConfig config,
            PrintWriter stdout) throws IOException {
        String markdown = ComparisonTable.markdown(title, notes, runs);
        StringBuilder records = new StringBuilder();
        for (SeedComparison run : runs) {
            records.append(ComparisonRecord.build(run, config).toJsonLine()).append('\n');
        }
        Path table = out.writeString(ComparisonTable.MARKDOWN, markdown);
        Path csv = out.writeString(ComparisonTable.CSV, ComparisonTable.csv(runs));
        Path recordFile = out.writeString(RECORDS, records);
        out.finish();
        stdout.print(markdown);
        stdout.println();
        stdout.println("Wrote " + table + ", " + csv + " and " + recordFile);
        stdout.flush();
    }

    /** {@code 4} for 4.0 and {@code 0.0001} for 1e-4: no trailing zeros, no exponent. */
    private static String trim(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
