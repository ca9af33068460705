package org.fineprune.experiments.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.defenses.pruning.RepairReport;
import org.fineprune.defenses.pruning.Selection;
import org.fineprune.experiments.SweepPoint;

/**
 * The folder a pruning run writes to: one repaired model (Keras HDF5) and its pruned channels (JSON)
 * per threshold, the curve, the tables and the JSON summary.
 * {@link OutputFolder} guards what an earlier run left there.
 */
final class PruningOutput {
    private static final List<String> FIXED = List.of("result.json", "curve.csv", "table.csv", "table.md");

    private final Path dir;

    private PruningOutput(Path dir) {
        this.dir = dir;
    }

    /**
     * Checks {@code dir} before any work is done.
     *
     * @throws IOException if it holds earlier results and {@code force} is off, or is not a folder
     */
    static PruningOutput prepare(Path dir, boolean force) throws IOException {
        return new PruningOutput(OutputFolder.prepare(dir, force, PruningOutput::isResult));
    }

    private static boolean isResult(String name) {
        return FIXED.contains(name) || name.matches("repaired_drop_[0-9.]+\\.(h5|json)");
    }

    /** Writes the repaired models and every table of {@code summary}. */
    void write(BadNet net, PruningSummary summary) throws IOException {
        Files.createDirectories(dir);
        for (RepairReport.Row row : summary.report().rows()) {
            Selection selection = row.selection();
            String stem = "repaired_drop_" + SweepPoint.number(selection.drop());
            try (BadNet repaired = net.pruned(summary.config().layer(), selection.channels())) {
                repaired.save(dir.resolve(stem + ".h5"));
            }
            Map<String, Object> channels = new LinkedHashMap<>();
            channels.put("source_model", net.source().toString());
            channels.put("layer", summary.config().layer());
            channels.put("drop", selection.drop());
            channels.put("rule", selection.rule().label());
            channels.put("pruned_channels", java.util.Arrays.stream(selection.channels()).boxed().toList());
            Files.writeString(dir.resolve(stem + ".json"), Json.line(channels) + "\n");
        }
        Files.writeString(dir.resolve("curve.csv"), summary.curveCsv());
        Files.writeString(dir.resolve("table.csv"), summary.csv());
        Files.writeString(dir.resolve("table.md"), summary.markdown());
        Files.writeString(dir.resolve("result.json"), Json.line(summary.toJson()) + "\n");
    }
}
