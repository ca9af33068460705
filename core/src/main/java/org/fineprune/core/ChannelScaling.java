package org.fineprune.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.LayerGraph;

/**
 * The softmax cross-entropy of a labelled batch and its derivatives by per-channel scale factors of
 * convolutions, the trainable channel masks and multiplicative noise of Adversarial Neuron Pruning.
 *
 * <p>Channel {@code c} of convolution {@code L} is scaled at its <em>scaled layer</em>: the batch
 * normalisation right after {@code L} where there is one (its gamma times the weight factor, its beta
 * times the bias factor, as ANP perturbs batch normalisation), else {@code L} itself (its kernel slice
 * times the weight factor, its bias times the bias factor). Factors of 1 leave the network as it is.
 * Batch normalisations use their running statistics and the network is not changed.
 */
public final class ChannelScaling {
    private ChannelScaling() {}

    /**
     * Per-channel factors of one convolution, or the loss's derivatives by them.
     *
     * @param weight one value per channel for the kernel (or batch-normalisation gamma)
     * @param bias one value per channel for the bias (or batch-normalisation beta)
     */
    public record Scales(float[] weight, float[] bias) {
        /** Checks that both have one value per channel and copies them. */
        public Scales {
            if (weight.length != bias.length) {
                throw new IllegalArgumentException(weight.length + " weight factors but " + bias.length
                        + " bias factors");
            }
            weight = weight.clone();
            bias = bias.clone();
        }

        /** Factors of 1, which change nothing. */
        public static Scales ones(int channels) {
            float[] one = new float[channels];
            Arrays.fill(one, 1f);
            return new Scales(one, one);
        }

        @Override
        public float[] weight() {
            return weight.clone();
        }

        @Override
        public float[] bias() {
            return bias.clone();
        }
    }

    /**
     * The mean loss over a batch and its derivatives.
     *
     * @param loss the mean softmax cross-entropy
     * @param derivatives the derivatives of the loss by each scaled convolution's factors
     */
    public record Gradient(double loss, Map<String, Scales> derivatives) {
        /** Copies the derivatives. */
        public Gradient {
            derivatives = Collections.unmodifiableMap(new LinkedHashMap<>(derivatives));
        }
    }

    /**
     * The layer whose parameters the factors of convolution {@code conv} multiply: the batch
     * normalisation that alone reads it, else {@code conv}.
     *
     * @throws IllegalArgumentException if {@code conv} is not a convolution of {@code architecture}
     */
    public static String scaledLayer(Architecture architecture, String conv) {
        architecture.conv(conv);
        LayerGraph graph = architecture.graph();
        List<String> next = graph.consumers(conv);
        return next.size() == 1 && graph.layer(next.get(0)) instanceof Layer.BatchNorm ? next.get(0) : conv;
    }

    /**
     * The loss of {@code net} on the labelled {@code batch} with the channels of each convolution in
     * {@code scales} scaled by its factors, and the derivatives by those factors.
     *
     * @throws IllegalArgumentException if the batch has no labels, a layer is not a convolution or its
     *     factors are not one per channel
     */
    public static Gradient gradient(BadNet net, ImageBatch batch, Map<String, Scales> scales) {
        if (!batch.labelled()) {
            throw new IllegalArgumentException("the loss needs labelled images");
        }
        Architecture architecture = net.architecture();
        try (NDManager sub = net.manager().newSubManager()) {
            Map<Parameter, NDArray> factors = new IdentityHashMap<>();
            Map<String, NDArray[]> leaves = new LinkedHashMap<>();
            scales.forEach((conv, s) -> {
                int channels = architecture.conv(conv).outputs();
                if (s.weight.length != channels) {
                    throw new IllegalArgumentException(s.weight.length + " factors given for the " + channels
                            + " channels of '" + conv + "'");
                }
                String layer = scaledLayer(architecture, conv);
                boolean norm = !layer.equals(conv);
                NDArray weight = sub.create(s.weight);
                NDArray bias = sub.create(s.bias);
                weight.setRequiresGradient(true);
                factors.put(net.block().parameter(layer, norm ? "gamma" : "weight"), weight);
                Parameter biasParameter = net.block().parameter(layer, norm ? "beta" : "bias");
                if (biasParameter != null) {
                    bias.setRequiresGradient(true);
                    factors.put(biasParameter, bias);
                }
                leaves.put(conv, new NDArray[] {weight, biasParameter == null ? null : bias});
            });
            NDArray input = net.input(sub, batch, 0, batch.size());
            NDArray labels = sub.create(batch.labels()).toType(DataType.FLOAT32, false);
            double loss;
            try (GradientCollector collector = SerialGradientCollector.of(sub.getEngine())) {
                NDArray logits = net.block().forward(new ScalingStore(sub, factors), input, LayerGraph.INPUT, Map.of(),
                        false, LayerObserver.NONE);
                NDArray value = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits));
                collector.backward(value);
                loss = value.getFloat();
            }
            Map<String, Scales> derivatives = new LinkedHashMap<>();
            leaves.forEach((conv, leaf) -> derivatives.put(conv, new Scales(leaf[0].getGradient().toFloatArray(),
                    leaf[1] == null ? new float[(int) leaf[0].size()] : leaf[1].getGradient().toFloatArray())));
            return new Gradient(loss, derivatives);
        }
    }
}
