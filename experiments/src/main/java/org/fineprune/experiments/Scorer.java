package org.fineprune.experiments;

import org.fineprune.defenses.api.SampleFlags;
import org.fineprune.experiments.PointRecord.TrainingDetectorScores;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.fineprune.core.Accuracy;
import org.fineprune.core.Auroc;
import org.fineprune.core.BadNet;
import org.fineprune.core.Classifier;
import org.fineprune.core.Evaluation;
import org.fineprune.core.GoodNet;
import org.fineprune.core.ImageSource;
import org.fineprune.core.LayerChannel;
import org.fineprune.core.PruningCache;
import org.fineprune.core.ScoringDetector;
import org.fineprune.core.SuspicionScores;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.experiments.PointRecord.DetectorScores;
import org.fineprune.experiments.PointRecord.Metrics;
import org.fineprune.experiments.PointRecord.PruningSteps;
import org.fineprune.experiments.PointRecord.Scores;

/**
 * Scores what defenses return on one bench's test sets, which the defenses never see: the BadNet's
 * answers are computed once, and a GoodNet of the BadNet and a repaired model is scored from the two
 * models' answers without running the BadNet again. A detector's AUROC comes from its suspicion
 * scores where it gives them ({@link SuspicionScores}; from the pass that gives its classes where it
 * gives both at once, a {@link ScoringDetector} such as STRIP), else from its flags; a training-set
 * detector's flags are scored against the bench's truth about its training set. The one scorer of
 * every point.
 */
final class Scorer {
    private final Bench bench;
    private final int batchSize;
    private final int flag;
    private final int[] cleanLabels;
    private final int[] poisonedLabels;
    private final int[] trueLabels;
    private final Answers original;

    /**
     * The most steps of a pruning order whose attack success rate is scored: each step re-runs the
     * network on the poisoned test set from the earliest pruned layer, and an order over every
     * convolution of the ResNet has 416 steps. DeepID's conv_3 and conv_4 together (140) are scored
     * whole.
     */
    static final int MOST_SCORED_STEPS = 160;

    /**
     * The answers of a model on the test sets, its validation accuracy (on the defender's selection
     * images, held out of what the defense learnt on under the strict protocol), and the seconds its answers
     * on the clean and poisoned test sets took.
     */
    private record Answers(int[] clean, int[] poisoned, int[] triggered, double validAccuracy, double testSeconds) {}

    /**
     * What scoring a defense's result gave.
     *
     * @param metrics the scores
     * @param detectorSecondsPer1000 the seconds the detector took per 1,000 clean and poisoned test
     *     images (a GoodNet: its two models'), or {@code null} without a detector
     */
    record Scored(Metrics metrics, Double detectorSecondsPer1000) {}

    /**
     * Runs the bench's BadNet on its test sets.
     *
     * @throws IOException if images cannot be read
     */
    Scorer(Bench bench, int batchSize) throws IOException {
        this.bench = bench;
        this.batchSize = batchSize;
        this.flag = bench.net().architecture().classes();
        cleanLabels = Evaluation.labels(bench.cleanTest());
        poisonedLabels = Evaluation.labels(bench.poisonedTest());
        trueLabels = bench.triggeredTest() == null ? new int[0] : Evaluation.labels(bench.triggeredTest());
        original = answers(bench.net());
    }

    /** The BadNet's scores. */
    Scores badNet() {
        return scores(original);
    }

    /**
     * The scores of {@code result}'s repaired model and detector, and the detector's time.
     *
     * @throws IOException if images cannot be read
     */
    Scored score(DefenseResult result) throws IOException {
        Answers repaired = result.repaired() == null ? null : answers(result.repaired());
        TrainingDetectorScores training = result.sampleFlags() == null ? null : trainingDetector(result.sampleFlags());
        if (result.detector() == null) {
            return new Scored(new Metrics(badNet(), repaired == null ? null : scores(repaired), null, training), null);
        }
        Detected clean;
        Detected poisoned;
        double seconds;
        if (result.detector() instanceof GoodNet g && g.original() == bench.net() && repaired != null
                && g.repaired() == result.repaired()) {
            clean = new Detected(GoodNet.combine(original.clean(), repaired.clean(), g.flag()), null);
            poisoned = new Detected(GoodNet.combine(original.poisoned(), repaired.poisoned(), g.flag()), null);
            seconds = original.testSeconds() + repaired.testSeconds();
        } else {
            long start = System.nanoTime();
            clean = detect(result.detector(), bench.cleanTest());
            poisoned = detect(result.detector(), bench.poisonedTest());
            seconds = (System.nanoTime() - start) / 1e9;
        }
        Double cleanFlagged = percent(Accuracy.ofClass(clean.classes(), flag));
        Double poisonedFlagged = percent(Accuracy.ofClass(poisoned.classes(), flag));
        Double auroc;
        if (clean.classes().length == 0 || poisoned.classes().length == 0) {
            auroc = null;
        } else if (clean.suspicion() != null) {
            auroc = Auroc.of(poisoned.suspicion(), clean.suspicion());
        } else if (result.detector() instanceof SuspicionScores scores) {
            auroc = Auroc.of(suspicion(scores, bench.poisonedTest()), suspicion(scores, bench.cleanTest()));
        } else {
            auroc = (poisonedFlagged + 100 - cleanFlagged) / 200;
        }
        DetectorScores detector = new DetectorScores(percent(Accuracy.of(clean.classes(), cleanLabels)),
                percent(Accuracy.of(poisoned.classes(), poisonedLabels)), cleanFlagged, poisonedFlagged, auroc);
        return new Scored(new Metrics(badNet(), repaired == null ? null : scores(repaired), detector, training),
                seconds / (clean.classes().length + poisoned.classes().length) * 1000);
    }

    /**
     * The TPR, FPR and AUROC of {@code flags} against the bench's truth about its training set.
     *
     * @throws IllegalArgumentException if the bench has no training set or the flags do not fit it
     */
    TrainingDetectorScores trainingDetector(SampleFlags flags) {
        boolean[] truth = bench.poisonedTraining();
        if (truth == null || truth.length != flags.size()) {
            throw new IllegalArgumentException(flags.size() + " training-sample flags, but the bench's training set has "
                    + (truth == null ? "no samples" : truth.length + " samples"));
        }
        boolean[] flagged = flags.flagged();
        long[] hits = new long[2];
        long[] totals = new long[2];
        for (int i = 0; i < truth.length; i++) {
            int group = truth[i] ? 1 : 0;
            totals[group]++;
            hits[group] += flagged[i] ? 1 : 0;
        }
        return new TrainingDetectorScores(percent(new Accuracy(hits[1], totals[1])),
                percent(new Accuracy(hits[0], totals[0])), Auroc.of(flags.scores(), truth));
    }

    /**
     * The attack success rate on the poisoned test set along {@code order}, the BadNet's channels
     * pruned one by one, for the report's figure only: after every step of an order of up to {@value
     * #MOST_SCORED_STEPS} steps; after every {@code ceil(steps / }{@value #MOST_SCORED_STEPS}{@code )}-th
     * step and the last of a longer one ({@code null} after the others).
     *
     * @throws IOException if images cannot be read
     */
    PruningSteps pruningSteps(List<LayerChannel> order) throws IOException {
        return pruningSteps(order, MOST_SCORED_STEPS);
    }

    /** As {@link #pruningSteps(List)}, scoring at most about {@code mostSteps} steps. */
    PruningSteps pruningSteps(List<LayerChannel> order, int mostSteps) throws IOException {
        List<String> layers = order.stream().map(LayerChannel::layer).distinct().toList();
        int stride = (order.size() + mostSteps - 1) / mostSteps;
        try (PruningCache cache = PruningCache.build(bench.net(), layers, bench.poisonedTest(), batchSize, List.of())) {
            List<Double> rates = new ArrayList<>();
            for (int k = 1; k <= order.size(); k++) {
                rates.add(k % stride == 0 || k == order.size() ? cache.accuracy(order.subList(0, k)) : null);
            }
            return new PruningSteps(order, rates);
        }
    }

    private Answers answers(BadNet model) throws IOException {
        long start = System.nanoTime();
        int[] clean = classes(model, bench.cleanTest());
        int[] poisoned = classes(model, bench.poisonedTest());
        double testSeconds = (System.nanoTime() - start) / 1e9;
        return new Answers(clean, poisoned,
                bench.triggeredTest() == null ? new int[0] : classes(model, bench.triggeredTest()),
                Evaluation.accuracy(model, bench.defender().selection(), batchSize).percent(), testSeconds);
    }

    private int[] classes(Classifier model, ImageSource images) throws IOException {
        return Evaluation.classes(model, images, batchSize);
    }

    /**
     * A detector's answers for a set of images, in order.
     *
     * @param classes its class for each image
     * @param suspicion its suspicion of each image where the same pass gave it ({@link ScoringDetector}), else {@code null}
     */
    private record Detected(int[] classes, double[] suspicion) {}

    /** The detector's answers for {@code images}: with its suspicion, in one pass, where it gives both at once. */
    private Detected detect(Classifier detector, ImageSource images) throws IOException {
        if (!(detector instanceof ScoringDetector scoring)) {
            return new Detected(classes(detector, images), null);
        }
        int[] classes = new int[images.size()];
        double[] suspicion = new double[images.size()];
        int[] next = {0};
        images.forEachBatch(batchSize, batch -> {
            ScoringDetector.Answers answers = scoring.answer(batch);
            System.arraycopy(answers.classes(), 0, classes, next[0], batch.size());
            System.arraycopy(answers.suspicion(), 0, suspicion, next[0], batch.size());
            next[0] += batch.size();
        });
        return new Detected(classes, suspicion);
    }

    /** The detector's suspicion score of each image, in order. */
    private double[] suspicion(SuspicionScores detector, ImageSource images) throws IOException {
        double[] scores = new double[images.size()];
        int[] next = {0};
        images.forEachBatch(batchSize, batch -> {
            System.arraycopy(detector.suspicion(batch), 0, scores, next[0], batch.size());
            next[0] += batch.size();
        });
        return scores;
    }

    private Scores scores(Answers answers) {
        return new Scores(answers.validAccuracy(), percent(Accuracy.of(answers.clean(), cleanLabels)),
                percent(Accuracy.of(answers.poisoned(), poisonedLabels)),
                percent(Accuracy.of(answers.triggered(), trueLabels)));
    }

    /** The accuracy in percent, or {@code null} where there was nothing to count. */
    private static Double percent(Accuracy accuracy) {
        return accuracy.total() == 0 ? null : accuracy.percent();
    }
}
