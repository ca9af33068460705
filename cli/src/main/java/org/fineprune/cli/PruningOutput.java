package org.fineprune.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.defenses.pruning.RepairReport;
import org.fineprune.defenses.pruning.Selection;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.Point;

/**
 * The folder a pruning run writes to: one repaired model (Keras HDF5) and its pruned channels (JSON)
 * per threshold, the curve, the tables and the JSON summary.
 * {@link OutputFolder} guards what an earlier run left there.
 */
final class PruningOutput {
    private static final List<String> FIXED = List.of("result.json", "curve.csv", "table.csv", "table.md");

    private final OutputFolder folder;

    private PruningOutput(OutputFolder folder) {
        this.folder = folder;
    }

    /**
     * Checks {@code dir} before any work is done.
     *
     * @throws IOException if it holds files of a result's name that {@code prune} did not write, a
     *     finished run's results and {@code force} is off, or is not a folder
     */
    static PruningOutput prepare(Path dir, boolean force) throws IOException {
        return new PruningOutput(OutputFolder.claim(dir, "prune", PruningOutput::isResult, force));
    }

    private static boolean isResult(String name) {
        return FIXED.contains(name) || name.matches("repaired_drop_[0-9.]+\\.(h5|json)");
    }

    /** Writes the repaired models and every table of {@code summary}, then marks the run finished. */
    void write(BadNet net, PruningSummary summary) throws IOException {
        for (RepairReport.Row row : summary.report().rows()) {
            Selection selection = row.selection();
            String stem = "repaired_drop_" + Point.number(selection.drop());
            try (BadNet repaired = net.pruned(summary.config().layer(), selection.channels())) {
                folder.write(stem + ".h5", repaired::save);
            }
            Map<String, Object> channels = new LinkedHashMap<>();
            channels.put("source_model", net.source().toString());
            channels.put("layer", summary.config().layer());
            channels.put("drop", selection.drop());
            channels.put("rule", selection.rule().label());
            channels.put("pruned_channels", java.util.Arrays.stream(selection.channels()).boxed().toList());
            folder.writeString(stem + ".json", Json.line(channels) + "\n");
        }
        folder.writeString("curve.csv", summary.curveCsv());
        folder.writeString("table.csv", summary.csv());
        folder.writeString("table.md", summary.markdown());
        folder.writeString("result.json", Json.line(summary.toJson()) + "\n");
        folder.finish();
    }
}
