package org.fineprune.docs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.data.LabData;
import org.fineprune.experiments.Experiment;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.Sweep;
import org.fineprune.experiments.SweepResult;

/**
 * The user guide's comparison: fine-tuning, pruning, fine-pruning and multi-layer fine-pruning of
 * the lab3 BadNet as one sweep over the defense axis, each printed from its record with its clean
 * accuracy, attack success rate and how many poisoned inputs its GoodNet flags.
 *
 * <p>Run it with the lab's folder and a run folder: {@code CompareDefenses ../shared/csaw runs/compare}.
 */
public final class CompareDefenses {
    private CompareDefenses() {}

    /** Runs the comparison; {@code args}: the csaw folder (models/, data/) and the run folder. */
    public static void main(String[] args) throws IOException {
        Path csaw = Path.of(args.length > 0 ? args[0] : "../shared/csaw");
        Path runDir = Path.of(args.length > 1 ? args[1] : "runs/compare");
        SweepResult result = Experiment.named("lab3-comparison")
                .model(BadNet.keras(csaw.resolve("models/bd_weights.h5")))
                .data(LabData.at(csaw.resolve("data")))
                .defenses("fine-tuning", "pruning", "fine-pruning", "multi-layer-fine-pruning")
                .with("drop", 4).with("epochs", 3).with("batch-size", 16)   // each to the defenses that declare it
                .sweep(Sweep.none())
                .run(runDir);
        PointRecord.Scores badNet = result.records().get(0).metrics().badnet();
        System.out.printf("BadNet: clean %.2f%%, attack %.2f%%%n", badNet.cleanAccuracy(), badNet.attackSuccessRate());
        for (PointRecord record : result.records()) {
            Map<?, ?> pruned = (Map<?, ?>) record.diagnostics().getOrDefault("prunedChannels", Map.of());
            int count = pruned.values().stream().mapToInt(c -> ((List<?>) c).size()).sum();
            System.out.printf("%s: %d channels pruned, clean %.2f%%, attack %.2f%%, G flags %.2f%% of poisoned%n",
                    record.config().defense().name(), count, record.metrics().repaired().cleanAccuracy(),
                    record.metrics().repaired().attackSuccessRate(), record.metrics().detector().poisonedFlagged());
        }
    }
}
