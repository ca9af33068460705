package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fineprune.core.KerasWeightsWriter.Layout;
import org.fineprune.core.testing.Hdf5HeaderPatch;
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
    void names_a_missing_layer_apart_from_the_layers_present() {
        // Keras' layer_names lists every layer; here one listed layer's group has been deleted.
        List<LayerWeights> layers = KerasFixtures.randomDeepId(1);
        Path file = tmp.resolve("deleted_conv3.h5");
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putAttribute("layer_names", layers.stream().map(l -> l.spec().name()).toArray(String[]::new));
            for (LayerWeights layer : layers) {
                String name = layer.spec().name();
                if (!name.equals("conv_3")) {
                    WritableGroup group = hdf.putGroup(name);
                    group.putAttribute("weight_names", new String[] {name + "/kernel:0", name + "/bias:0"});
                    WritableGroup inner = group.putGroup(name);
                    inner.putDataset("kernel:0", KerasWeightsWriter.nest(layer.kernel(), layer.spec().kernelShape()));
                    inner.putDataset("bias:0", layer.bias());
                }
            }
        }
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(file, DeepId.WEIGHTED_LAYERS));
        assertEquals(file + ": layer 'conv_3' is missing (layers in file: [conv_1, conv_2, conv_4, fc_1, fc_2, output])",
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
        assertEquals(file + ": conv_2/conv_2/kernel:0 has shape [3, 3, 20, 41], the architecture needs [3, 3, 20, 40]",
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
        assertTrue(e.getMessage().startsWith(cut + ": not a readable Keras HDF5 weights file (truncated: "),
                e.getMessage());
    }

    @Test
    void rejects_a_file_cut_in_its_last_weights_as_truncated() throws IOException {
        Path good = KerasFixtures.write(tmp.resolve("good.h5"), KerasFixtures.randomDeepId(4), Layout.WEIGHTS_ONLY);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(tmp.resolve("cut.h5"), Arrays.copyOf(bytes, bytes.length - 100));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(cut, DeepId.WEIGHTED_LAYERS));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejects_a_kernel_dimension_beyond_what_an_array_holds() {
        Path file = KerasFixtures.write(tmp.resolve("huge.h5"), KerasFixtures.randomDeepId(6), Layout.WEIGHTS_ONLY);
        Hdf5HeaderPatch.declareDimension(file, "conv_2/conv_2/kernel:0", 3, 1L << 40);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(file, DeepId.WEIGHTED_LAYERS));
        assertTrue(e.getMessage().startsWith(file + ": conv_2/conv_2/kernel:0 declares shape (3, 3, 20, 1099511627776)"),
                e.getMessage());
    }

    @Test
    void rejects_a_kernel_declared_but_never_written() {
        Path file = KerasFixtures.write(tmp.resolve("unwritten.h5"), KerasFixtures.randomDeepId(8), Layout.WEIGHTS_ONLY);
        Hdf5HeaderPatch.declareUnwritten(file, "fc_1/fc_1/kernel:0");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(file, DeepId.WEIGHTED_LAYERS));
        assertTrue(e.getMessage().startsWith(file + ": fc_1/fc_1/kernel:0 declares shape (1200, 160)"), e.getMessage());
        assertTrue(e.getMessage().contains("never written"), e.getMessage());
    }

    @Test
    void rejects_a_kernel_larger_than_the_file() {
        Path file = KerasFixtures.write(tmp.resolve("long.h5"), KerasFixtures.randomDeepId(9), Layout.WEIGHTS_ONLY);
        Hdf5HeaderPatch.declareDimension(file, "output/output/kernel:0", 0, Integer.MAX_VALUE);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(file, DeepId.WEIGHTED_LAYERS));
        assertTrue(e.getMessage().contains("output/output/kernel:0 declares shape (2147483647, 1283)"), e.getMessage());
        assertTrue(e.getMessage().contains("bytes of the file"), e.getMessage());
    }

    @Test
    void names_a_directory_as_a_directory() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(tmp, DeepId.WEIGHTED_LAYERS));
        assertEquals(tmp + ": is a directory, not a file", e.getMessage());
    }

    @Test
    void names_a_device_as_not_a_regular_file() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero here");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(zero, DeepId.WEIGHTED_LAYERS));
        assertTrue(e.getMessage().startsWith("/dev/zero: not a regular file"), e.getMessage());
    }

    @Test
    void names_a_symbolic_link_loop() throws IOException {
        Path loop = Files.createSymbolicLink(tmp.resolve("loop.h5"), Path.of("loop.h5"));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(loop, DeepId.WEIGHTED_LAYERS));
        assertTrue(e.getMessage().startsWith(loop + ": symbolic link loop"), e.getMessage());
    }

    @Test
    void names_a_permission_problem() throws IOException {
        Path file = KerasFixtures.write(tmp.resolve("locked.h5"), KerasFixtures.randomDeepId(5), Layout.WEIGHTS_ONLY);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "root reads every file");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasWeights.read(file, DeepId.WEIGHTED_LAYERS));
        assertEquals(file + ": permission denied", e.getMessage());
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
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void writer_never_overwrites_a_file() throws IOException {
        Path existing = Files.writeString(tmp.resolve("mine.h5"), "user data");
        assertThrows(IOException.class, () -> KerasWeightsWriter.write(existing,
                KerasFixtures.randomDeepId(5), Layout.WEIGHTS_ONLY));
        assertEquals("user data", Files.readString(existing));
    }
}
