package org.fineprune.defenses.pruning;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.GoodNet;
import org.fineprune.core.ImageSource;
import org.fineprune.core.PruningCache;

/**
 * Measures the BadNet B, each selected pruned model B' and its GoodNet G on clean and poisoned test
 * data: clean accuracy, attack success rate, and how often G flags inputs.
 *
 * <p>Each test set runs through B once; each B' re-runs only the layers after the pruned one.
 */
public final class RepairEvaluation {
    private RepairEvaluation() {}

    /**
     * Evaluates the pruned models of {@code selections} (channels of {@code layer}) against {@code
     * net}, on clean test images labelled with their classes and poisoned test images labelled with
     * the attack's target.
     *
     * @throws IllegalArgumentException if either set has no labels
     * @throws IOException if a test file cannot be read
     */
    public static RepairReport evaluate(BadNet net, String layer, List<Selection> selections, ImageSource cleanTest,
            ImageSource poisonedTest, int batchSize) throws IOException {
        for (ImageSource source : List.of(cleanTest, poisonedTest)) {
            if (!source.labelled()) {
                throw new IllegalArgumentException(source.name() + ": test images need labels");
            }
        }
        try (PruningCache clean = PruningCache.build(net, layer, cleanTest, batchSize, List.of());
                PruningCache poisoned = PruningCache.build(net, layer, poisonedTest, batchSize, List.of())) {
            Outcome original = new Outcome(
                    Accuracy.of(clean.originalClasses(), clean.labels()),
                    Accuracy.of(poisoned.originalClasses(), poisoned.labels()));
            List<RepairReport.Row> rows = new ArrayList<>();
            for (Selection selection : selections) {
                int[] repairedClean = clean.classify(selection.channels());
                int[] repairedPoisoned = poisoned.classify(selection.channels());
                int flag = net.architecture().classes();
                int[] goodClean = GoodNet.combine(clean.originalClasses(), repairedClean, flag);
                int[] goodPoisoned = GoodNet.combine(poisoned.originalClasses(), repairedPoisoned, flag);
                rows.add(new RepairReport.Row(selection,
                        new Outcome(Accuracy.of(repairedClean, clean.labels()),
                                Accuracy.of(repairedPoisoned, poisoned.labels())),
                        new Outcome(Accuracy.of(goodClean, clean.labels()),
                                Accuracy.of(goodPoisoned, poisoned.labels())),
                        Accuracy.ofClass(goodPoisoned, flag),
                        Accuracy.ofClass(goodClean, flag)));
            }
            return new RepairReport(original, rows);
        }
    }
}
