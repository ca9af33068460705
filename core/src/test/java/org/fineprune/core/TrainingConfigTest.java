package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainingConfigTest {
    @ParameterizedTest
    @CsvSource({
        "0, 128, 0.001, PyTorch, epochs",
        "1, 0, 0.001, PyTorch, batch size",
        "1, 128, 0, PyTorch, learning rate",
        "1, 128, -1, PyTorch, learning rate",
        "1, 128, NaN, PyTorch, learning rate",
        "1, 128, Infinity, PyTorch, learning rate",
        "1, 128, 0.001, TensorFlow, unknown engine",
    })
    void rejects_bad_values_naming_them(int epochs, int batch, double lr, String engine, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingConfig(epochs, batch, lr, 1, engine));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void matches_the_engine_ignoring_case() {
        assertEquals("PyTorch", new TrainingConfig(1, 1, 0.1, 1, "pytorch").engine());
        assertEquals("MXNet", new TrainingConfig(1, 1, 0.1, 1, "MXNET").engine());
    }

    @Test
    void every_value_changes_the_canonical_description() {
        TrainingConfig base = TrainingConfig.defaults();
        assertNotEquals(base.canonical(), base.withEpochs(4).canonical());
        assertNotEquals(base.canonical(), base.withSeed(2).canonical());
        assertNotEquals(base.canonical(), base.withEngine("MXNet").canonical());
        assertNotEquals(base.canonical(), new TrainingConfig(3, 64, 1e-3, 1, "PyTorch").canonical());
        assertNotEquals(base.canonical(), new TrainingConfig(3, 128, 2e-3, 1, "PyTorch").canonical());
        assertEquals(base.canonical(), TrainingConfig.defaults().canonical());
    }
}
