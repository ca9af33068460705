package org.fineprune.docs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.Classifier;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ModelOptions;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.Settings;

/**
 * The user guide's defense found by name: fine-pruning of the lab3 BadNet through the {@link
 * Defenses} registry, printed with its pruned channels, B''s clean accuracy and attack success rate,
 * and how many poisoned inputs its GoodNet flags.
 *
 * <p>Run it with the lab's folder: {@code RunDefenseByName ../shared/csaw}.
 */
public final class RunDefenseByName {
    private RunDefenseByName() {}

    /** Runs fine-pruning; {@code args}: the csaw folder (models/, data/). */
    public static void main(String[] args) throws IOException {
        Path csaw = Path.of(args.length > 0 ? args[0] : "../shared/csaw");
        LabDataset valid = LabDataset.open(csaw.resolve("data/cl/valid.h5"));
        LabDataset test = LabDataset.open(csaw.resolve("data/cl/test.h5"));
        LabDataset poisoned = LabDataset.open(csaw.resolve("data/bd/bd_test.h5"));
        Defense defense = Defenses.find("fine-pruning");
        Settings settings = defense.settings(Map.of("drop", 4, "epochs", 3, "batch-size", 16));
        try (BadNet badNet = BadNet.load(csaw.resolve("models/bd_weights.h5"), ModelOptions.defaults());
                DefenseResult result = defense.apply(badNet, new DefenderData(valid), settings, 1)) {
            BadNet repaired = result.repairedModel().orElseThrow();
            Classifier goodNet = result.inputDetector().orElseThrow();
            int flag = badNet.architecture().classes();
            System.out.printf("%s: pruned %s%n", settings, result.diagnostics().get("prunedChannels"));
            System.out.printf("B': clean %s, attack %s%n", Evaluation.accuracy(repaired, test, 256),
                    Evaluation.accuracy(repaired, poisoned, 256));
            System.out.printf("G flags %s of poisoned%n",
                    Accuracy.ofClass(Evaluation.classes(goodNet, poisoned, 256), flag));
            System.out.printf("defenses found: %s%n", Defenses.all().stream().map(Defense::name).toList());
        }
    }
}
