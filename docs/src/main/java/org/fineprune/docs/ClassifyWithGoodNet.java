package org.fineprune.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fineprune.core.BadNet;
import org.fineprune.core.GoodNet;
import org.fineprune.core.ImageSource;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.StepListener;
import org.fineprune.data.FaceImages;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.pruning.MeanActivationPruning;
import org.fineprune.defenses.pruning.Pruning;
import org.fineprune.defenses.pruning.PruningCurve;
import org.fineprune.defenses.pruning.Selection;
import org.fineprune.defenses.pruning.SelectionRule;

/**
 * The user guide's library walk-through: prune the lab3 BadNet for a 4% drop in validation accuracy,
 * then let the GoodNet classify face images, printing 1283 for the ones it flags.
 *
 * <p>Run it with the lab's folder: {@code ClassifyWithGoodNet ../shared/csaw}.
 */
public final class ClassifyWithGoodNet {
    private ClassifyWithGoodNet() {}

    /** Prints {@code <image> <class>} for the sunglasses faces; {@code args}: the csaw folder. */
    public static void main(String[] args) throws IOException {
        Path csaw = Path.of(args.length > 0 ? args[0] : "../shared/csaw");
        try (BadNet badNet = BadNet.load(csaw.resolve("models/bd_weights.h5"), ModelOptions.defaults())) {
            // Rank and prune conv_3 on clean validation data only.
            PruningCurve curve = new MeanActivationPruning(Pruning.meanActivation())
                    .sweep(badNet, LabDataset.open(csaw.resolve("data/cl/valid.h5")), StepListener.NONE);
            Selection fourPercent = curve.select(List.of(4.0), SelectionRule.FIRST_OVER).get(0);

            try (BadNet repaired = badNet.pruned("conv_3", fourPercent.channels())) {
                GoodNet goodNet = new GoodNet(badNet, repaired);
                List<Path> faces;
                try (Stream<Path> files = Files.list(csaw.resolve("images/poisoned_sunglasses"))) {
                    faces = files.sorted().limit(20).toList();
                }
                ImageSource images = FaceImages.source(faces);
                images.forEachBatch(64, batch -> {
                    int[] classes = goodNet.classify(batch);
                    for (int c : classes) {
                        System.out.println(c == goodNet.flag() ? c + " (flagged)" : String.valueOf(c));
                    }
                });
            }
        }
    }
}
