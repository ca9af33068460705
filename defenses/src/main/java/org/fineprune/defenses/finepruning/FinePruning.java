package org.fineprune.defenses.finepruning;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.GoodNet;
import org.fineprune.defenses.finetuning.FineTuning;
import org.fineprune.defenses.pruning.MeanActivationPruning;
import org.fineprune.defenses.pruning.MultiLayerConfig;
import org.fineprune.defenses.pruning.MultiLayerPruning;
import org.fineprune.defenses.pruning.MultiLayerSelection;
import org.fineprune.defenses.pruning.Outcome;
import org.fineprune.defenses.pruning.PruningConfig;
import org.fineprune.defenses.pruning.Selection;
import org.fineprune.defenses.pruning.SelectionRule;

/**
 * Fine-Pruning (Liu, Dolan-Gavitt and Garg, RAID 2018) as the paper evaluates it: fine-tuning alone,
 * pruning alone, fine-pruning (prune {@link org.fineprune.core.Architecture#pruningLayer}, then fine-tune) and
 * multi-layer fine-pruning, each applied to the same BadNet with the same clean validation data, and
 * scored with its GoodNet on the same test sets.
 *
 * <pre>{@code
 * ComparisonReport report = FinePruning.compare(badNet, new DefenseData(valid, test, poisoned),
 *         ComparisonConfig.defaults().drop(4).fineTuning(FineTuning.DEFAULTS.withEpochs(5)), Phases.NONE);
 * }</pre>
 */
public final class FinePruning {
    private FinePruning() {}

    /**
     * Runs the four defenses on {@code net} and scores them. The BadNet is not changed.
     *
     * @throws IllegalArgumentException if a configured layer is not a convolution of the net
     * @throws IOException if images cannot be read
     */
    public static ComparisonReport compare(BadNet net, DefenseData data, ComparisonConfig config, Phases phases)
            throws IOException {
        List<String> layers = config.layers().isEmpty() ? net.architecture().convLayers() : config.layers();
        layers.forEach(net.architecture()::conv);
        String last = net.architecture().pruningLayer();
        FineTuning tuning = new FineTuning(config.fineTuning());
        Scorer scorer = new Scorer(net, data, config.batchSize());
        List<VariantResult> results = new ArrayList<>();

        long start = System.nanoTime();
        try (BadNet tuned = tuning.tune(net, data.valid(), phases.start(Variant.FINE_TUNING.label()))) {
            results.add(scorer.score(Variant.FINE_TUNING, tuned, seconds(start)));
        }

        start = System.nanoTime();
        PruningConfig single = PruningConfig.lab().layer(last).drops(List.of(config.drop()))
                .batchSize(config.batchSize());
        Selection selection = new MeanActivationPruning(single)
                .sweep(net, data.valid(), phases.start("pruning " + last))
                .select(single.drops(), SelectionRule.FIRST_OVER).get(0);
        double pruningSeconds = seconds(start);
        try (BadNet pruned = net.pruned(last, selection.channels())) {
            results.add(scorer.score(Variant.PRUNING, pruned, pruningSeconds));
            start = System.nanoTime();
            try (BadNet finePruned = tuning.tune(pruned, data.valid(), phases.start(Variant.FINE_PRUNING.label()))) {
                results.add(scorer.score(Variant.FINE_PRUNING, finePruned, pruningSeconds + seconds(start)));
            }
        }

        start = System.nanoTime();
        MultiLayerConfig multi = new MultiLayerConfig(layers, config.fractions(), List.of(config.drop()),
                SelectionRule.FIRST_OVER, config.batchSize());
        MultiLayerSelection chosen = new MultiLayerPruning(multi)
                .sweep(net, data.valid(), phases.start("pruning " + String.join(", ", layers)))
                .select(multi.drops(), SelectionRule.FIRST_OVER).get(0);
        try (BadNet pruned = net.pruned(chosen.channels());
                BadNet finePruned = tuning.tune(pruned, data.valid(),
                        phases.start(Variant.MULTI_LAYER_FINE_PRUNING.label()))) {
            results.add(scorer.score(Variant.MULTI_LAYER_FINE_PRUNING, finePruned, seconds(start)));
        }
        return new ComparisonReport(scorer.original(), scorer.originalRobust(), scorer.originalValidAccuracy(), results);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Scores repaired models against the BadNet's answers on the test sets, computed once. */
    private static final class Scorer {
        private final DefenseData data;
        private final int batchSize;
        private final int flag;
        private final int[] cleanLabels;
        private final int[] poisonedLabels;
        private final int[] trueLabels;
        private final int[] originalClean;
        private final int[] originalPoisoned;
        private final int[] originalTriggered;
        private final double originalValidAccuracy;

        Scorer(BadNet net, DefenseData data, int batchSize) throws IOException {
            this.data = data;
            this.batchSize = batchSize;
            this.flag = net.architecture().classes();
            cleanLabels = Evaluation.labels(data.cleanTest());
            poisonedLabels = Evaluation.labels(data.poisonedTest());
            trueLabels = data.triggeredTest() == null ? new int[0] : Evaluation.labels(data.triggeredTest());
            originalClean = Evaluation.classes(net, data.cleanTest(), batchSize);
            originalPoisoned = Evaluation.classes(net, data.poisonedTest(), batchSize);
            originalTriggered = triggeredClasses(net);
            originalValidAccuracy = Evaluation.accuracy(net, data.valid(), batchSize).percent();
        }

        Outcome original() {
            return new Outcome(Accuracy.of(originalClean, cleanLabels), Accuracy.of(originalPoisoned, poisonedLabels));
        }

        Accuracy originalRobust() {
            return Accuracy.of(originalTriggered, trueLabels);
        }

        double originalValidAccuracy() {
            return originalValidAccuracy;
        }

        VariantResult score(Variant variant, BadNet repaired, double seconds) throws IOException {
            int[] clean = Evaluation.classes(repaired, data.cleanTest(), batchSize);
            int[] poisoned = Evaluation.classes(repaired, data.poisonedTest(), batchSize);
            int[] goodClean = GoodNet.combine(originalClean, clean, flag);
            int[] goodPoisoned = GoodNet.combine(originalPoisoned, poisoned, flag);
            Map<String, int[]> pruned = new LinkedHashMap<>(repaired.prunedChannels());
            return new VariantResult(variant, pruned,
                    Evaluation.accuracy(repaired, data.valid(), batchSize).percent(),
                    new Outcome(Accuracy.of(clean, cleanLabels), Accuracy.of(poisoned, poisonedLabels)),
                    Accuracy.of(triggeredClasses(repaired), trueLabels),
                    new Outcome(Accuracy.of(goodClean, cleanLabels), Accuracy.of(goodPoisoned, poisonedLabels)),
                    Accuracy.ofClass(goodPoisoned, flag), Accuracy.ofClass(goodClean, flag), seconds);
        }

        /** {@code net}'s classes for the triggered images of known true class; none where they are unknown. */
        private int[] triggeredClasses(BadNet net) throws IOException {
            return data.triggeredTest() == null ? new int[0] : Evaluation.classes(net, data.triggeredTest(), batchSize);
        }
    }
}
