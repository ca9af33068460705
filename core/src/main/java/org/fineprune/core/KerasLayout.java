package org.fineprune.core;

/**
 * Converts kernels between Keras' channels-last layout and the NCHW layout of DJL's blocks.
 *
 * <p>A convolution kernel is (kh, kw, in, out) in Keras and (out, in, kh, kw) in DJL. A dense kernel
 * is (in, out) in Keras and (out, in) in DJL; when the dense layer reads a Keras {@code Flatten} of a
 * (H, W, C) map, its input rows are in H, W, C order, while flattening an NCHW map gives C, H, W
 * order, so the rows are permuted too. A wrong permutation still gives plausible probabilities,
 * which is why the golden test checks logits.
 */
public final class KerasLayout {
    private KerasLayout() {}

    /** The kernel of {@code weights} in DJL layout. */
    public static float[] toDjl(LayerWeights weights) {
        return convert(weights.spec(), weights.kernel(), true);
    }

    /** A DJL-layout kernel of {@code spec} back in Keras layout. */
    public static float[] toKeras(LayerSpec spec, float[] djlKernel) {
        return convert(spec, djlKernel, false);
    }

    private static float[] convert(LayerSpec spec, float[] source, boolean kerasToDjl) {
        int[] k = spec.kernelShape();
        float[] target = new float[source.length];
        if (spec.isConv()) {
            int kh = k[0];
            int kw = k[1];
            int in = k[2];
            int out = k[3];
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    for (int i = 0; i < in; i++) {
                        for (int o = 0; o < out; o++) {
                            int keras = ((y * kw + x) * in + i) * out + o;
                            int djl = ((o * in + i) * kh + y) * kw + x;
                            move(source, target, keras, djl, kerasToDjl);
                        }
                    }
                }
            }
            return target;
        }
        int in = k[0];
        int out = k[1];
        for (int r = 0; r < in; r++) {
            int column = spec.flattenedFrom() == null ? r : nchwIndex(spec.flattenedFrom(), r);
            for (int o = 0; o < out; o++) {
                move(source, target, r * out + o, o * in + column, kerasToDjl);
            }
        }
        return target;
    }

    /** Where the Keras (H, W, C) flatten index {@code r} lands when flattening in C, H, W order. */
    private static int nchwIndex(int[] hwc, int r) {
        int w = hwc[1];
        int c = hwc[2];
        int channel = r % c;
        int position = r / c;
        int h = hwc[0];
        return channel * h * w + position;
    }

    private static void move(float[] source, float[] target, int keras, int djl, boolean kerasToDjl) {
        if (kerasToDjl) {
            target[djl] = source[keras];
        } else {
            target[keras] = source[djl];
        }
    }
}
