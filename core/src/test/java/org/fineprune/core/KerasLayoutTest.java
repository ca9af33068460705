package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Kernel layout conversion between Keras (channels last) and DJL (NCHW). */
class KerasLayoutTest {
    @Test
    void conv_kernel_moves_output_channel_first() {
        LayerSpec spec = new LayerSpec("c", new int[] {2, 2, 3, 4}, null);
        float[] keras = iota(2 * 2 * 3 * 4);
        float[] djl = KerasLayout.toDjl(new LayerWeights(spec, keras, new float[4]));
        // Keras [y=1][x=0][in=2][out=3] sits at ((1*2+0)*3+2)*4+3 = 35; DJL [3][2][1][0] at ((3*3+2)*2+1)*2+0 = 46.
        assertEquals(35f, djl[46]);
        assertArrayEquals(keras, KerasLayout.toKeras(spec, djl));
    }

    @Test
    void flattened_dense_rows_follow_keras_hwc_order() {
        // A (H=2, W=3, C=2) map flattened by Keras into 12 rows, 1 output unit.
        LayerSpec spec = new LayerSpec("d", new int[] {12, 1}, new int[] {2, 3, 2});
        float[] keras = iota(12);
        float[] djl = KerasLayout.toDjl(new LayerWeights(spec, keras, new float[1]));
        // NCHW column c*6 + h*3 + w reads Keras row (h*3 + w)*2 + c.
        for (int c = 0; c < 2; c++) {
            for (int h = 0; h < 2; h++) {
                for (int w = 0; w < 3; w++) {
                    assertEquals((h * 3 + w) * 2 + c, djl[c * 6 + h * 3 + w]);
                }
            }
        }
        assertArrayEquals(keras, KerasLayout.toKeras(spec, djl));
    }

    @Test
    void plain_dense_kernel_is_transposed() {
        LayerSpec spec = new LayerSpec("d", new int[] {3, 2}, null);
        float[] djl = KerasLayout.toDjl(new LayerWeights(spec, iota(6), new float[2]));
        assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, djl);
    }

    private static float[] iota(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
