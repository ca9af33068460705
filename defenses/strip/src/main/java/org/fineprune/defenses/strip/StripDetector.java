package org.fineprune.defenses.strip;

import java.util.Arrays;
import java.util.function.IntFunction;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ScoringDetector;
import org.fineprune.core.Softmax;

/**
 * STRIP's detector: the BadNet's class for an input whose superimpositions with clean images give
 * predictions of mean entropy at least the threshold, and class N (the BadNet's class count, as the
 * {@link org.fineprune.core.GoodNet}) for one below it. Its suspicion score is the negative entropy,
 * given with the class by the one pass of {@link #answer}.
 * Every input is superimposed with the same overlay images, so an input's answer does not depend on
 * the batch it comes in. Not thread-safe, as the BadNet it runs.
 */
public final class StripDetector implements ScoringDetector {
    /** Superimposed images per forward pass at most (several inputs share a pass when n is small). */
    private static final int PASS = 256;

    private final BadNet net;
    private final float[] overlays;
    private final int count;
    private final double blend;
    private final double threshold;
    private final int flag;

    /**
     * A detector for {@code net} with {@code count} overlay images.
     *
     * @param overlays the overlay images, one after the other, each of the network's input size
     * @param count how many of {@code overlays} each input is superimposed with (the first ones)
     * @param blend the weight of an overlay in a superimposition; the input keeps {@code 1 - blend}
     * @param threshold the mean entropy below which an input is flagged
     */
    StripDetector(BadNet net, float[] overlays, int count, double blend, double threshold) {
        this.net = net;
        this.overlays = overlays;
        this.count = count;
        this.blend = blend;
        this.threshold = threshold;
        this.flag = net.architecture().classes();
    }

    /** The mean entropy below which an input is flagged. */
    public double threshold() {
        return threshold;
    }

    /** The classes, flagged where the mean entropy is below the threshold, and the negative entropies. */
    @Override
    public Answers answer(ImageBatch batch) {
        int[] classes = net.classify(batch);
        double[] entropies = entropies(batch);
        double[] suspicion = new double[entropies.length];
        for (int i = 0; i < classes.length; i++) {
            if (entropies[i] < threshold) {
                classes[i] = flag;
            }
            suspicion[i] = -entropies[i];
        }
        return new Answers(classes, suspicion);
    }

    /** The mean entropy (bits) of the predictions for each image superimposed with the first {@code count} overlays. */
    double[] entropies(ImageBatch batch) {
        int[] first = new int[count];
        Arrays.setAll(first, k -> k);
        return entropies(batch, i -> first);
    }

    /**
     * The mean entropy (bits) of the predictions for each image of {@code batch} superimposed with
     * the overlay images {@code slots.apply(i)} (indices into the overlays, {@code count} of them).
     */
    double[] entropies(ImageBatch batch, IntFunction<int[]> slots) {
        int values = batch.imageValues();
        int classes = net.architecture().classes();
        int group = Math.max(1, PASS / count);
        double[] entropies = new double[batch.size()];
        for (int start = 0; start < batch.size(); start += group) {
            int inputs = Math.min(group, batch.size() - start);
            float[] blended = new float[inputs * count * values];
            for (int i = 0; i < inputs; i++) {
                int[] chosen = slots.apply(start + i);
                int in = (start + i) * values;
                for (int k = 0; k < count; k++) {
                    int over = chosen[k] * values;
                    int out = (i * count + k) * values;
                    for (int v = 0; v < values; v++) {
                        blended[out + v] = (float) ((1 - blend) * batch.pixels()[in + v] + blend * overlays[over + v]);
                    }
                }
            }
            float[] p = Softmax.probabilities(net, new ImageBatch(blended, null, inputs * count));
            for (int i = 0; i < inputs; i++) {
                double sum = 0;
                for (int k = 0; k < count; k++) {
                    sum += entropy(p, (i * count + k) * classes, classes);
                }
                entropies[start + i] = sum / count;
            }
        }
        return entropies;
    }

    /** The Shannon entropy in bits of the distribution {@code p[from .. from + classes - 1]}. */
    private static double entropy(float[] p, int from, int classes) {
        double h = 0;
        for (int c = from; c < from + classes; c++) {
            if (p[c] > 0) {
                h -= p[c] * (Math.log(p[c]) / Math.log(2));
            }
        }
        return h;
    }
}
