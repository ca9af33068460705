package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fineprune.core.testing.SharedCsaw;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab3 weights with the lab's architecture as Keras' {@code model.to_json()} writes it go through
 * the generic Keras reader to the same logits as the built-in DeepID.
 */
@Tag("real-data")
class KerasArchitectureTest {
    @Test
    void the_lab_weights_with_their_architecture_json_give_the_built_in_deepid_logits(@TempDir Path tmp)
            throws IOException {
        Path json = Files.writeString(tmp.resolve("architecture.json"), KerasFixtures.DEEPID_JSON);
        Path weights = SharedCsaw.file("models/bd_weights.h5");
        ImageBatch images = BadNetTest.randomImages(40, 3);
        ModelOptions options = ModelOptions.defaults().withDevice("cpu");
        try (BadNet builtIn = BadNet.load(weights, options); BadNet generic = BadNet.load(weights, json, options)) {
            assertEquals(DeepId.LAYERS, generic.architecture().layers());
            assertEquals(DeepId.WEIGHTED_LAYERS, generic.architecture().weightedLayers());
            assertEquals(List.of("conv_1", "conv_2", "conv_3", "conv_4"), generic.architecture().convLayers());
            assertEquals("conv_3", generic.architecture().pruningLayer());
            assertArrayEquals(builtIn.logits(images), generic.logits(images), "bit for bit");
        }
    }
}
