package org.fineprune.defenses.neuralcleanse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.fineprune.core.BadNet;
import org.fineprune.core.DifferentiableForward;
import org.fineprune.core.FinepruneException;
import org.fineprune.core.GraphScalar;
import org.fineprune.core.ImageShape;
import org.fineprune.core.SerialGradientCollector;
import org.fineprune.core.Training;

/**
 * Reverse-engineers the smallest trigger that sends clean images to one class, as Neural Cleanse
 * does (Wang et al., S&amp;P 2019, section IV.B; reference code bolunwang/backdoor {@code
 * visualizer.py}): the mask m = tanh(a) / (2 - eps) + 1/2 and the pattern p = 255 (tanh(b) / (2 -
 * eps) + 1/2) are found by Adam on a and b, minimising the cross-entropy of the stamped images
 * (1 - m) x + m p towards the target plus cost x |m|_1.
 *
 * <p>The cost follows the reference: it starts at zero and is set to the initial cost after {@code
 * patience} epochs in which the attack succeeds on at least {@code attackSuccess} of the images;
 * then {@code patience} epochs of success multiply it by 1.5 and as many of failure divide it by
 * 1.5^1.5. The best mask is the smallest one (by the epoch's mean L1 norm) of an epoch whose attack
 * succeeded; if none did, the last one is kept and its attack success tells so. The search stops
 * early once the cost has gone both up and down and the best norm has not shrunk by 1% for twice
 * {@code patience} epochs. Mask and pattern start uniformly random, drawn from the seed.
 */
public final class TriggerSearch {
    /** Keras' epsilon, which keeps the tanh mapping invertible at 0 and 1. */
    private static final float EPSILON = 1e-7f;

    private final SearchConfig config;

    /** A search with the given settings. */
    public TriggerSearch(SearchConfig config) {
        this.config = config;
    }

    /**
     * The trigger for class {@code target}, searched on {@code images} (raw pixels of {@code net}'s
     * input shape, image after image).
     *
     * @param seed draws the initial mask and pattern and shuffles the images each epoch
     */
    public ReversedTrigger search(BadNet net, float[] images, int target, long seed) {
        ImageShape shape = net.architecture().input();
        int n = shape.count(images);
        if (n == 0) {
            throw new IllegalArgumentException("no images to search a trigger on");
        }
        if (target < 0 || target >= net.architecture().classes()) {
            throw new IllegalArgumentException("class " + target + " is not a class of " + net.architecture().name());
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] maskStart = new float[shape.planeSize()];
        float[] patternStart = new float[shape.size()];
        for (int i = 0; i < maskStart.length; i++) {
            maskStart[i] = tanhSpace((float) random.nextDouble());
        }
        for (int i = 0; i < patternStart.length; i++) {
            patternStart[i] = tanhSpace((float) random.nextDouble());
        }
        float scale = (float) net.options().inputScale();
        return DifferentiableForward.run(net, (manager, logits) -> {
            NDArray a = manager.create(maskStart, new Shape(1, 1, shape.height(), shape.width()));
            NDArray b = manager.create(patternStart, new Shape(1, shape.channels(), shape.height(), shape.width()));
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) config.learningRate()))
                    .optBeta1(0.5f).optBeta2(0.9f).optEpsilon(EPSILON).build();
            Schedule schedule = new Schedule();
            float[] bestMask = null;
            float[] bestPattern = null;
            double bestNorm = Double.POSITIVE_INFINITY;
            double bestSuccess = 0;
            float[] batch = new float[config.batchSize() * shape.size()];
            int epoch = 0;
            double success = 0;
            while (epoch < config.epochs()) {
                epoch++;
                int[] order = Training.permutation(n, random.split(), n);
                int hits = 0;
                double normSum = 0;
                for (int from = 0; from < n; from += config.batchSize()) {
                    int count = Math.min(config.batchSize(), n - from);
                    for (int k = 0; k < count; k++) {
                        System.arraycopy(images, order[from + k] * shape.size(), batch, k * shape.size(), shape.size());
                    }
                    try (NDManager step = manager.newSubManager()) {
                        a.tempAttach(step);
                        b.tempAttach(step);
                        NDArray x = step.create(Arrays.copyOf(batch, count * shape.size()),
                                new Shape(count, shape.channels(), shape.height(), shape.width()));
                        try (GradientCollector collector = SerialGradientCollector.of(manager.getEngine())) {
                            NDArray mask = unit(a);
                            NDArray pattern = unit(b).mul(GraphScalar.of(step, 255));
                            NDArray stamped = x.mul(mask.neg().add(GraphScalar.of(step, 1))).add(mask.mul(pattern));
                            NDArray out = logits.of(stamped.div(GraphScalar.of(step, scale)));
                            NDArray crossEntropy = out.logSoftmax(1).get(":, " + target).neg().mean();
                            NDArray norm = mask.abs().sum();
                            collector.backward(crossEntropy.add(norm.mul(GraphScalar.of(step, (float) schedule.cost))));
                            for (long answer : out.argMax(1).toType(DataType.INT64, false).toLongArray()) {
                                hits += answer == target ? 1 : 0;
                            }
                            normSum += norm.getFloat() * count;
                        }
                    }
                    // After the step's manager is closed, so that Adam's moments stay with a and b.
                    update(adam, "mask", a);
                    update(adam, "pattern", b);
                }
                success = (double) hits / n;
                double meanNorm = normSum / n;
                if (!Double.isFinite(meanNorm)) {
                    throw new FinepruneException("the trigger search for class " + target + " diverged: the mask norm is "
                            + meanNorm + " in epoch " + epoch + " at learning rate " + config.learningRate()
                            + "; try a smaller search-learning-rate");
                }
                if (success >= config.attackSuccess() && meanNorm < bestNorm) {
                    bestNorm = meanNorm;
                    bestSuccess = success;
                    bestMask = mask(a);
                    bestPattern = pattern(b);
                }
                if (schedule.stop(bestNorm)) {
                    break;
                }
                schedule.adjust(success);
            }
            if (bestMask == null) {
                float[] mask = mask(a);
                double norm = 0;
                for (float m : mask) {
                    norm += m;
                }
                return new ReversedTrigger(target, shape, mask, pattern(b), norm, success, epoch);
            }
            return new ReversedTrigger(target, shape, bestMask, bestPattern, bestNorm, bestSuccess, epoch);
        });
    }

    /** The cost of the mask norm and the counters that adjust it, as the reference keeps them. */
    private final class Schedule {
        double cost;
        int setCounter;
        int upCounter;
        int downCounter;
        boolean wentUp;
        boolean wentDown;
        int stopCounter;
        double stopBest = Double.POSITIVE_INFINITY;

        /** Whether the search should stop after an epoch whose best norm so far is {@code best}. */
        boolean stop(double best) {
            if (best < Double.POSITIVE_INFINITY) {
                stopCounter = best >= SearchConfig.EARLY_STOP_THRESHOLD * stopBest ? stopCounter + 1 : 0;
            }
            stopBest = Math.min(stopBest, best);
            return wentUp && wentDown && stopCounter >= config.earlyStopPatience();
        }

        /** Adjusts the cost after an epoch of attack success {@code success}. */
        void adjust(double success) {
            boolean succeeded = success >= config.attackSuccess();
            if (cost == 0 && succeeded) {
                setCounter++;
                if (setCounter >= config.patience()) {
                    cost = config.initCost();
                    upCounter = 0;
                    downCounter = 0;
                    wentUp = false;
                    wentDown = false;
                }
            } else {
                setCounter = 0;
            }
            if (succeeded) {
                upCounter++;
                downCounter = 0;
            } else {
                upCounter = 0;
                downCounter++;
            }
            if (upCounter >= config.patience()) {
                upCounter = 0;
                cost *= SearchConfig.COST_MULTIPLIER;
                wentUp = true;
            } else if (downCounter >= config.patience()) {
                downCounter = 0;
                cost /= Math.pow(SearchConfig.COST_MULTIPLIER, 1.5);
                wentDown = true;
            }
        }
    }

    /** One Adam step on {@code weight}, then its gradient zeroed: engines such as PyTorch accumulate it. */
    private static void update(Optimizer adam, String name, NDArray weight) {
        try (NDArray gradient = weight.getGradient()) {
            adam.update(name, weight, gradient);
            gradient.subi(gradient);
        }
    }

    /**
     * tanh(v) / (2 - eps) + 1/2, in [0, 1], with its numbers in {@code v}'s manager (see {@link
     * GraphScalar}).
     */
    private static NDArray unit(NDArray v) {
        NDManager manager = v.getManager();
        return v.tanh().div(GraphScalar.of(manager, 2 - EPSILON)).add(GraphScalar.of(manager, 0.5f));
    }

    private static float[] mask(NDArray a) {
        try (NDManager read = a.getManager().newSubManager()) {
            a.tempAttach(read);
            return unit(a).toFloatArray();
        }
    }

    private static float[] pattern(NDArray b) {
        try (NDManager read = b.getManager().newSubManager()) {
            b.tempAttach(read);
            return unit(b).mul(GraphScalar.of(read, 255)).toFloatArray();
        }
    }

    /** The tanh-space value whose mapped value is {@code unit} in [0, 1]. */
    private static float tanhSpace(float unit) {
        double clipped = Math.min(1, Math.max(0, unit));
        return (float) atanh((clipped - 0.5) * (2 - EPSILON));
    }

    private static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
    }
}
