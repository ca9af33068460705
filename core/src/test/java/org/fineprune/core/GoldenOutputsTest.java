package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.util.Map;
import java.util.Set;
import org.fineprune.core.testing.SharedCsaw;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The imported lab3 BadNet reproduces the independent float64 golden outputs on both engines. */
@Tag("real-data")
class GoldenOutputsTest {
    private static final double TOLERANCE = 1e-3;

    private static ImageBatch inputs;
    private static float[] goldenPool3;
    private static float[] goldenLogits;

    @BeforeAll
    static void readGolden() {
        try (HdfFile golden = new HdfFile(SharedCsaw.file("reference/bd_net_golden.h5"))) {
            float[] input = (float[]) golden.getDatasetByPath("input").getDataFlat();
            goldenPool3 = floats(golden.getDatasetByPath("pool_3").getDataFlat());
            goldenLogits = floats(golden.getDatasetByPath("logits").getDataFlat());
            inputs = new ImageBatch(input, null, input.length / DeepId.IMAGE_VALUES);
        }
        assertEquals(16, inputs.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void reproduces_golden_pool3_and_logits(String engine) {
        try (BadNet net = load(engine)) {
            Map<String, float[]> out = net.outputs(inputs, Set.of("pool_3", "output"));
            assertClose(goldenPool3, out.get("pool_3"), "pool_3 on " + engine);
            assertClose(goldenLogits, out.get("output"), "logits on " + engine);
        }
    }

    @Test
    void engines_agree_with_each_other() {
        try (BadNet torch = load("PyTorch"); BadNet mxnet = load("MXNet")) {
            assertClose(torch.logits(inputs), mxnet.logits(inputs), "PyTorch vs MXNet logits");
            assertArrayEquals(torch.classify(inputs), mxnet.classify(inputs));
        }
    }

    @Test
    void full_model_layout_reads_the_same_weights(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        java.nio.file.Path full = KerasFixtures.asFullModel(SharedCsaw.file("models/bd_weights.h5"), tmp);
        try (BadNet weightsOnly = load("PyTorch");
                BadNet fromFull = BadNet.load(full, ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"))) {
            assertArrayEquals(weightsOnly.logits(inputs), fromFull.logits(inputs));
        }
    }

    private static BadNet load(String engine) {
        return BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine(engine).withDevice("cpu"));
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= TOLERANCE, what + ": largest absolute difference " + worst);
    }

    private static float[] floats(Object flat) {
        if (flat instanceof float[] f) {
            return f;
        }
        double[] d = (double[]) flat;
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
