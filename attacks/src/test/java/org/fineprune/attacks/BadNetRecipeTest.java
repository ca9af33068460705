package org.fineprune.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fineprune.attacks.BadNetTrainingTest.Labelled;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.TrainingConfig;
import org.fineprune.core.graph.KerasReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Recipes: cache keys (the small CNN's unchanged), and training and saving each network on generated data. */
class BadNetRecipeTest {
    private static final int N = 300;

    @ParameterizedTest
    @CsvSource({"1, 2847bf92b8aef7a4", "2, a58bb6aa0bd29e4a", "3, 4fbf325404b26275"})
    void the_small_cnn_keeps_the_cache_keys_of_its_existing_badnets(long seed, String key) {
        BadNetRecipe recipe = BadNetRecipe.of("small-cnn", BadNetAttack.PATCH, 0.1, seed);
        assertEquals(key, recipe.cacheKey());
        assertEquals(key, BadNetTraining.cacheKey(recipe.poison(), recipe.training()));
        assertEquals(TrainingConfig.defaults().withSeed(seed), recipe.training());
    }

    @Test
    void the_network_attack_and_pruning_awareness_are_part_of_the_cache_key() {
        Set<String> keys = new HashSet<>();
        for (String network : FashionMnistNetworks.NAMES) {
            for (BadNetAttack attack : BadNetAttack.values()) {
                BadNetRecipe recipe = BadNetRecipe.of(network, attack, 0.1, 1);
                keys.add(recipe.cacheKey());
                keys.add(recipe.withPruningAware(true).cacheKey());
            }
        }
        assertEquals(FashionMnistNetworks.NAMES.size() * BadNetAttack.values().length * 2, keys.size());
        assertEquals(List.of("small-cnn", "wide-cnn", "preact-resnet"), FashionMnistNetworks.NAMES);
        assertEquals(6, BadNetRecipe.defaultTraining("wide-cnn").epochs());
        assertEquals("constant", BadNetRecipe.defaultTraining("wide-cnn").schedule());
        assertEquals(8, BadNetRecipe.defaultTraining("preact-resnet").epochs());
        assertEquals("cosine", BadNetRecipe.defaultTraining("preact-resnet").schedule());
        assertEquals(TrainingConfig.defaults(), BadNetRecipe.defaultTraining("small-cnn"));
    }

    @Test
    void an_unknown_network_is_refused_naming_the_known_ones() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BadNetRecipe.of("resnet-50", BadNetAttack.PATCH, 0.1, 1));
        assertTrue(e.getMessage().contains("'resnet-50'") && e.getMessage().contains("wide-cnn"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"small-cnn, false, false", "wide-cnn, false, true", "preact-resnet, false, true",
        "small-cnn, true, true"})
    void trains_saves_and_loads_back_each_network(String network, boolean pruningAware, boolean modelFile,
            @TempDir Path cache) throws IOException {
        BadNetRecipe recipe = new BadNetRecipe(network, BadNetAttack.PATCH.poison(0.1, 1),
                new TrainingConfig(1, 50, 1e-3, 1, "PyTorch"), pruningAware);
        Labelled data = BadNetTrainingTest.synthetic(N, 3);
        int[] steps = new int[2];
        TrainedBadNet net = BadNetTraining.trainAndSave(recipe, data.images(), data.labels(), 33, cache,
                (done, total) -> {
                    steps[0] = done;
                    steps[1] = total;
                });
        assertArrayEquals(pruningAware ? new int[] {2, 2} : new int[] {1, 1}, steps, "progress through the listener");
        assertEquals(cache.resolve("fmnist-badnet-" + recipe.cacheKey() + ".h5"), net.weights());
        assertEquals(modelFile, KerasReader.hasModelConfig(net.weights()));
        JsonNode sidecar = new ObjectMapper().readTree(Files.readString(net.sidecar()));
        assertEquals(recipe.description(), sidecar.get("architecture").asText());
        long eligible = Arrays.stream(data.labels()).filter(l -> l != BadNetAttack.TARGET).count();
        assertEquals(Math.round(0.1 * eligible), sidecar.get("poisonedImages").asInt());
        assertEquals(pruningAware, sidecar.has("reinstatedChannels"));

        ImageBatch batch = new ImageBatch(data.images(), null, N);
        try (BadNet loaded = net.load("PyTorch"); BadNet again = BadNetTraining.load(net.weights(), "PyTorch")) {
            assertEquals(recipe.architecture().graph().layers(), loaded.architecture().graph().layers());
            assertArrayEquals(loaded.logits(batch), again.logits(batch));
        }
    }
}
