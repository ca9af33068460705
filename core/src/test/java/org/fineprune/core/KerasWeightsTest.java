package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fineprune.core.KerasWeightsWriter.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading Keras weight files, good and broken, made by the test itself. */
class KerasWeightsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Layout.class)
    void reads_back_what_was_written_in_either_layout(Layout layout) {
        List<LayerWeights> layers = KerasFixtures.randomDeepId(7);
        Path file = KerasFixtures.write(tmp.resolve("w.h5"), layers, layout);
        KerasWeights read = KerasWeights.read(file, DeepId.WEIGHTED_LAYERS);
        for (LayerWeights expected : layers) {
            LayerWeights actual = read.layer(expected.spec().name());
            assertArrayEquals(expected.kernel(), actual.kernel(), expected.spec().name());
            assertArrayEquals(expected.bias(), actual.bias(), expected.spec().name());
        }
    }

    @Test
    void rejects_a_file_missing_a_layer() {
        List<LayerWeights> layers = new ArrayList<>(KerasFixtures.randomDeepId(1));
        layers.removeIf(l -> l.spec().name().equals("conv_3"));
        Path file = KerasFixtures.write(tmp.resolve("no_conv3.h5"), layers, Layout.WEIGHTS_ONLY);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(file, DeepId.WEIGHTED_LAYERS));
        assertTrue(e.getMessage().contains("no_conv3.h5") && e.getMessage().contains("'conv_3' is missing"),
                e.getMessage());
    }

    @Test
    void rejects_a_wrongly_shaped_kernel() {
        List<LayerWeights> layers = new ArrayList<>(KerasFixtures.randomDeepId(2));
        LayerSpec wrong = new LayerSpec("conv_2", new int[] {3, 3, 20, 41}, null);
        layers.set(1, new LayerWeights(wrong, new float[3 * 3 * 20 * 41], new float[41]));
        Path file = KerasFixtures.write(tmp.resolve("shape.h5"), layers, Layout.WEIGHTS_ONLY);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(file, DeepId.WEIGHTED_LAYERS));
        assertEquals(file + ": conv_2/conv_2/kernel:0 has shape [3, 3, 20, 41], expected [3, 3, 20, 40]",
                e.getMessage());
    }

    @Test
    void rejects_nan_weights() {
        List<LayerWeights> layers = KerasFixtures.randomDeepId(3);
        layers.get(4).kernel()[17] = Float.NaN;
        Path file = KerasFixtures.write(tmp.resolve("nan.h5"), layers, Layout.FULL_MODEL);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(file, DeepId.WEIGHTED_LAYERS));
        assertTrue(e.getMessage().contains("nan.h5: fc_1/fc_1/kernel:0 holds NaN at flat index 17"), e.getMessage());
    }

    @Test
    void rejects_a_truncated_file() throws IOException {
        Path good = KerasFixtures.write(tmp.resolve("good.h5"), KerasFixtures.randomDeepId(4), Layout.WEIGHTS_ONLY);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(tmp.resolve("cut.h5"), Arrays.copyOf(bytes, bytes.length / 3));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(cut, DeepId.WEIGHTED_LAYERS));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
    }

    @Test
    void rejects_a_file_that_is_not_hdf5() throws IOException {
        Path text = Files.writeString(tmp.resolve("weights.h5"), "these are not weights\n");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(text, DeepId.WEIGHTED_LAYERS));
        assertTrue(e.getMessage().startsWith(text + ": not a readable Keras HDF5 weights file"), e.getMessage());
    }

    @Test
    void rejects_a_missing_file() {
        Path missing = tmp.resolve("absent.h5");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(missing, DeepId.WEIGHTED_LAYERS));
        assertEquals(missing + ": no such weights file", e.getMessage());
    }

    @Test
    void writer_never_overwrites_a_file() throws IOException {
        Path existing = Files.writeString(tmp.resolve("mine.h5"), "user data");
        assertThrows(IOException.class, () -> KerasWeightsWriter.write(existing,
                KerasFixtures.randomDeepId(5), Layout.WEIGHTS_ONLY));
        assertEquals("user data", Files.readString(existing));
    }
}
