package org.fineprune.docs;

import java.io.IOException;
import java.nio.file.Path;
import org.fineprune.core.BadNet;
import org.fineprune.core.ModelOptions;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.finepruning.ComparisonConfig;
import org.fineprune.defenses.finepruning.ComparisonReport;
import org.fineprune.defenses.finepruning.DefenseData;
import org.fineprune.defenses.finepruning.FinePruning;
import org.fineprune.defenses.finepruning.Phases;
import org.fineprune.defenses.finepruning.VariantResult;
import org.fineprune.defenses.finetuning.FineTuning;

/**
 * The user guide's comparison: fine-tuning, pruning, fine-pruning and multi-layer fine-pruning of
 * the lab3 BadNet in one call, each printed with its clean accuracy, attack success rate and how
 * many poisoned inputs its GoodNet flags.
 *
 * <p>Run it with the lab's folder: {@code CompareDefenses ../shared/csaw}.
 */
public final class CompareDefenses {
    private CompareDefenses() {}

    /** Runs the comparison; {@code args}: the csaw folder (models/, data/). */
    public static void main(String[] args) throws IOException {
        Path csaw = Path.of(args.length > 0 ? args[0] : "../shared/csaw");
        DefenseData data = new DefenseData(LabDataset.open(csaw.resolve("data/cl/valid.h5")),
                LabDataset.open(csaw.resolve("data/cl/test.h5")), LabDataset.open(csaw.resolve("data/bd/bd_test.h5")));
        try (BadNet badNet = BadNet.load(csaw.resolve("models/bd_weights.h5"), ModelOptions.defaults())) {
            ComparisonReport report = FinePruning.compare(badNet, data,
                    ComparisonConfig.defaults().drop(4).fineTuning(FineTuning.DEFAULTS.withEpochs(3).withBatchSize(16)),
                    Phases.NONE);
            System.out.printf("BadNet: clean %.2f%%, attack %.2f%%%n", report.original().clean().percent(),
                    report.original().attack().percent());
            for (VariantResult v : report.variants()) {
                System.out.printf("%s: %d channels pruned, clean %.2f%%, attack %.2f%%, G flags %.2f%% of poisoned%n",
                        v.variant(), v.prunedCount(), v.repaired().clean().percent(), v.repaired().attack().percent(),
                        v.poisonedFlagged().percent());
            }
        }
    }
}
