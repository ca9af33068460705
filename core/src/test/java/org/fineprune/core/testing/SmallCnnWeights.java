package org.fineprune.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fineprune.core.LayerWeights;
import org.fineprune.core.SmallCnn;

/** Generated weights of the small Fashion-MNIST CNN for tests. */
public final class SmallCnnWeights {
    private SmallCnnWeights() {}

    /**
     * {@link SmallCnn#initialWeights} kernels with random biases in [-0.1, 0.1), so that channels
     * differ in activity and a layout mistake anywhere changes the logits.
     */
    public static List<LayerWeights> random(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LayerWeights> out = new ArrayList<>();
        for (LayerWeights w : SmallCnn.initialWeights(seed)) {
            float[] bias = new float[w.bias().length];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) random.nextDouble(-0.1, 0.1);
            }
            out.add(new LayerWeights(w.spec(), w.kernel(), bias));
        }
        return out;
    }
}
