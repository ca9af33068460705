package org.fineprune.defenses.anp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.ChannelScaling;
import org.fineprune.core.ChannelScaling.Scales;
import org.fineprune.core.ImageBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The min-max mask optimisation of Adversarial Neuron Pruning (Wu and Wang, NeurIPS 2021), as the
 * reference code's {@code optimize_mask_cifar.py} runs it: at each iteration a mini-batch drawn
 * with replacement from the clean images; multiplicative noise on each channel's weight and bias
 * drawn uniformly from [-eps, eps] and moved {@code noiseSteps} times by eps / noiseSteps times the
 * sign of the loss's gradient (the worst case in the eps ball, to first order); then one SGD step
 * (momentum 0.9) on the masks of {@code alpha} times the loss with the masks alone plus {@code 1 -
 * alpha} times the loss with the masks and the noise, and the masks clipped to [0, 1].
 *
 * <p>A mask multiplies the weight part of its channel (the kernel slice, or the batch-normalisation
 * gamma), the noise the weight part by {@code mask + noise} and the bias part by {@code 1 + noise};
 * see {@link ChannelScaling}.
 *
 * @param eps the noise bound; 0 leaves out the noisy loss, as the reference does
 * @param alpha the weight of the loss without noise
 * @param maskLearningRate the SGD learning rate of the masks
 * @param iterations the number of mini-batches
 * @param batchSize the images per mini-batch
 * @param noiseSteps the sign steps that move the noise toward its worst case
 */
public record MaskOptimization(double eps, double alpha, double maskLearningRate, int iterations, int batchSize,
        int noiseSteps) {
    /** The momentum of the masks' SGD, as in the reference code. */
    public static final double MOMENTUM = 0.9;

    private static final Logger LOG = LoggerFactory.getLogger(MaskOptimization.class);

    /** Checks every value, naming the one refused. */
    public MaskOptimization {
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("eps must be at least 0, got " + eps);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        if (!(maskLearningRate > 0)) {
            throw new IllegalArgumentException("the mask learning rate must be positive, got " + maskLearningRate);
        }
        if (iterations < 1 || batchSize < 1 || noiseSteps < 1) {
            throw new IllegalArgumentException("iterations, batch size and noise steps must be positive, got "
                    + iterations + ", " + batchSize + " and " + noiseSteps);
        }
    }

    /**
     * The mask of every channel of {@code convs}, in [0, 1], after optimising them on the labelled
     * {@code clean} images; the mini-batches and the noise are drawn with {@code seed}.
     *
     * @throws IllegalArgumentException if {@code clean} has no labels or a layer is not a convolution
     */
    public Map<String, float[]> masks(BadNet net, ArrayImages clean, List<String> convs, long seed) {
        if (!clean.labelled()) {
            throw new IllegalArgumentException(clean.name() + ": mask optimisation needs labelled images");
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, float[]> masks = new LinkedHashMap<>();
        Map<String, float[]> velocity = new LinkedHashMap<>();
        for (String conv : convs) {
            int channels = net.architecture().conv(conv).outputs();
            masks.put(conv, Scales.ones(channels).weight());
            velocity.put(conv, new float[channels]);
        }
        for (int iteration = 1; iteration <= iterations; iteration++) {
            ImageBatch batch = draw(clean, random);
            Map<String, Scales> robust = eps > 0 ? robustDerivatives(net, batch, masks, random) : Map.of();
            ChannelScaling.Gradient natural = ChannelScaling.gradient(net, batch, scales(masks, Map.of()));
            for (String conv : convs) {
                float[] mask = masks.get(conv);
                float[] v = velocity.get(conv);
                float[] byNatural = natural.derivatives().get(conv).weight();
                float[] byRobust = eps > 0 ? robust.get(conv).weight() : new float[mask.length];
                for (int c = 0; c < mask.length; c++) {
                    float g = (float) (alpha * byNatural[c] + (1 - alpha) * byRobust[c]);
                    v[c] = (float) (MOMENTUM * v[c] + g);
                    mask[c] = Math.min(1f, Math.max(0f, (float) (mask[c] - maskLearningRate * v[c])));
                }
            }
            if (iteration % 100 == 0 || iteration == iterations) {
                LOG.info("ANP iteration {}/{}: loss without noise {}", iteration, iterations, natural.loss());
            }
        }
        return masks;
    }

    /**
     * The derivatives, by the weight factors, of the loss with the masks and the worst noise found
     * from a uniform start.
     */
    private Map<String, Scales> robustDerivatives(BadNet net, ImageBatch batch, Map<String, float[]> masks,
            SplittableRandom random) {
        Map<String, Scales> noise = new LinkedHashMap<>();
        masks.forEach((conv, mask) -> {
            float[] weight = new float[mask.length];
            float[] bias = new float[mask.length];
            for (int c = 0; c < mask.length; c++) {
                weight[c] = (float) random.nextDouble(-eps, eps);
                bias[c] = (float) random.nextDouble(-eps, eps);
            }
            noise.put(conv, new Scales(weight, bias));
        });
        for (int step = 0; step < noiseSteps; step++) {
            Map<String, Scales> ascent = ChannelScaling.gradient(net, batch, scales(masks, noise)).derivatives();
            noise.replaceAll((conv, n) -> new Scales(signStep(n.weight(), ascent.get(conv).weight()),
                    signStep(n.bias(), ascent.get(conv).bias())));
        }
        return ChannelScaling.gradient(net, batch, scales(masks, noise)).derivatives();
    }

    private float[] signStep(float[] noise, float[] gradient) {
        float[] moved = noise.clone();
        for (int c = 0; c < moved.length; c++) {
            moved[c] += (float) (eps / noiseSteps * Math.signum(gradient[c]));
        }
        return moved;
    }

    /** The factors of {@link ChannelScaling}: {@code mask + noise} on the weights, {@code 1 + noise} on the biases. */
    private static Map<String, Scales> scales(Map<String, float[]> masks, Map<String, Scales> noise) {
        Map<String, Scales> scales = new LinkedHashMap<>();
        masks.forEach((conv, mask) -> {
            float[] weight = mask.clone();
            float[] bias = Scales.ones(mask.length).bias();
            Scales n = noise.get(conv);
            if (n != null) {
                float[] nw = n.weight();
                float[] nb = n.bias();
                for (int c = 0; c < mask.length; c++) {
                    weight[c] += nw[c];
                    bias[c] += nb[c];
                }
            }
            scales.put(conv, new Scales(weight, bias));
        });
        return scales;
    }

    /** {@link #batchSize} images drawn with replacement, as the reference's random sampler does. */
    private ImageBatch draw(ArrayImages images, SplittableRandom random) {
        int values = images.shape().size();
        float[] pixels = new float[batchSize * values];
        int[] labels = new int[batchSize];
        for (int k = 0; k < batchSize; k++) {
            int i = random.nextInt(images.size());
            System.arraycopy(images.pixels(), i * values, pixels, k * values, values);
            labels[k] = images.labels()[i];
        }
        return new ImageBatch(pixels, labels, batchSize);
    }
}
