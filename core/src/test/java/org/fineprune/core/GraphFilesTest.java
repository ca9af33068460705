package org.fineprune.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.fineprune.core.graph.GraphModel;
import org.fineprune.core.graph.KerasReader;
import org.fineprune.core.graph.Layer;
import org.fineprune.core.graph.OnnxReader;
import org.fineprune.core.testing.Hdf5HeaderPatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fixtures of {@code src/test/python/make_graph_fixtures.py}, networks exported by PyTorch to
 * ONNX and written as Keras files, give PyTorch's float64 logits through the generic graph block.
 */
class GraphFilesTest {
    private static final double RELATIVE = 1e-4;

    @TempDir
    Path tmp;

    static Path fixture(String name) {
        try {
            return Path.of(GraphFilesTest.class.getResource("graph/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static GraphModel read(String file) throws IOException {
        return file.endsWith(".onnx") ? OnnxReader.read(fixture(file)) : KerasReader.read(fixture(file));
    }

    @ParameterizedTest(name = "{0} on {2}")
    @CsvSource({
        "plain_cnn.onnx, plain_cnn, PyTorch", "plain_cnn.onnx, plain_cnn, MXNet",
        "plain_cnn.h5, plain_cnn, PyTorch", "plain_cnn.h5, plain_cnn, MXNet",
        "residual_cnn.onnx, residual_cnn, PyTorch", "residual_cnn.onnx, residual_cnn, MXNet",
        "residual_cnn_bn.onnx, residual_cnn, PyTorch", "residual_cnn_bn.onnx, residual_cnn, MXNet",
        "residual_cnn.h5, residual_cnn, PyTorch", "residual_cnn.h5, residual_cnn, MXNet",
        "keras_same.h5, keras_same, PyTorch", "keras_same.h5, keras_same, MXNet",
        "keras_same.onnx, keras_same, PyTorch", "keras_same.onnx, keras_same, MXNet"})
    void gives_the_logits_pytorch_computed(String file, String network, String engine) throws IOException {
        try (HdfFile expected = new HdfFile(fixture(network + ".expected.h5"))) {
            float[] input = (float[]) expected.getDatasetByPath("input").getDataFlat();
            float[] logits = (float[]) expected.getDatasetByPath("logits").getDataFlat();
            float[] actual = run(read(file), input, engine, Map.of(), false).get("output");
            assertClose(logits, run(read(file), input, engine, Map.of(), true).get("output"),
                    file + " on " + engine + ", every layer observed");
            assertClose(logits, actual, file + " on " + engine);
        }
    }

    @Test
    void layers_are_named_after_the_pytorch_module_path() throws IOException {
        List<String> plain = names(read("plain_cnn.onnx"));
        assertEquals(List.of("input", "conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3",
                "fc2"), plain);
        List<String> residual = names(read("residual_cnn_bn.onnx"));
        assertTrue(residual.containsAll(List.of("conv_d", "bn", "layer1.0.conv2", "layer1.0.bn2", "layer1.0",
                "layer2.0.downsample.0", "layer2.0.downsample.1", "fc")), residual.toString());
        Architecture architecture = Architecture.of(read("residual_cnn_bn.onnx").graph());
        assertEquals("layer1.0.conv1", architecture.rankingLayer("layer1.0.conv1"), "no pool follows the unit");
        assertEquals("relu", architecture.cachePoint("layer1.0.conv1"), "the residual block's input");
    }

    @Test
    void keras_and_onnx_files_of_one_network_rank_the_channels_alike() throws IOException {
        float[] images = new float[50 * 144];
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextDouble();
        }
        for (String conv : List.of("conv1", "conv2")) {
            String pool = conv.replace("conv", "pool");
            int channels = conv.equals("conv1") ? 6 : 8;
            GraphModel keras = read("plain_cnn.h5");
            GraphModel onnx = read("plain_cnn.onnx");
            assertEquals(pool, Architecture.of(keras.graph()).rankingLayer(conv));
            assertEquals(pool, Architecture.of(onnx.graph()).rankingLayer(conv));
            int[] fromKeras = order(run(keras, images, "PyTorch", Map.of(), true).get(pool), 50, channels);
            int[] fromOnnx = order(run(onnx, images, "PyTorch", Map.of(), true).get(pool), 50, channels);
            assertArrayEquals(fromKeras, fromOnnx, conv);
            // The pruning curve: the classes after pruning the k lowest channels agree at every step.
            for (int k = 0; k <= fromKeras.length; k += 2) {
                int[] pruned = Arrays.copyOf(fromKeras, k);
                assertArrayEquals(classes(run(keras, images, "PyTorch", Map.of(conv, pruned), false).get("output")),
                        classes(run(onnx, images, "PyTorch", Map.of(conv, pruned), false).get("output")), conv + " step " + k);
            }
        }
    }

    @Test
    void pruning_zeroes_the_unit_output_after_batch_norm() throws IOException {
        GraphModel model = read("residual_cnn_bn.onnx");
        float[] images = new float[3 * 300];
        Arrays.fill(images, 0.3f);
        Map<String, float[]> out = run(model, images, "PyTorch", Map.of("layer1.0.conv1", new int[] {1, 4}), true);
        float[] unit = out.get("layer1.0.relu");
        float[] conv = out.get("layer1.0.conv1");
        assertArrayEquals(unit, conv, "observing a convolution gives its unit's output");
        int plane = 100;
        for (int n = 0; n < 3; n++) {
            for (int c : new int[] {1, 4}) {
                for (int p = 0; p < plane; p++) {
                    assertEquals(0f, unit[(n * 8 + c) * plane + p]);
                }
            }
        }
        assertTrue(IntStream.range(0, unit.length).anyMatch(i -> unit[i] != 0), "other channels live");
    }

    @ParameterizedTest
    @CsvSource({"PyTorch", "MXNet"})
    void fine_tuning_with_batch_norm_trains_and_holds_pruned_channels_at_zero(String engine) throws IOException {
        Map<String, int[]> pruned = Map.of("layer1.0.conv1", new int[] {1, 4}, "conv_d", new int[] {0});
        GraphModel start = read("residual_cnn_bn.onnx").pruned(pruned);
        float[] images = randomImages(64, new ImageShape(3, 10, 10), 4).pixels();
        int[] labels = IntStream.range(0, 64).map(i -> i % 7).toArray();
        GraphModel tuned = Training.train(start, images, labels, 1, new TrainingConfig(2, 16, 1e-2, 3, engine), pruned,
                StepListener.NONE);
        for (String name : List.of("layer1.0.conv1/weight", "layer1.0.bn1/gamma", "layer1.0.bn1/beta", "conv_d/weight",
                "bn/gamma", "bn/beta")) {
            float[] values = tuned.weights().get(name);
            int slice = values.length / 8;
            for (int c : pruned.get(name.startsWith("layer1") ? "layer1.0.conv1" : "conv_d")) {
                for (int i = c * slice; i < (c + 1) * slice; i++) {
                    assertEquals(0f, values[i], name + " channel " + c);
                }
            }
            assertTrue(!Arrays.equals(values, start.weights().get(name)), name + ": the other channels learn");
        }
        assertTrue(!Arrays.equals(tuned.weights().get("layer2.0.bn2/runningMean"),
                start.weights().get("layer2.0.bn2/runningMean")), "batch statistics in training mode move the running mean");
        float[] unit = run(tuned, images, engine, Map.of(), true).get("layer1.0.conv1");
        for (int n = 0; n < 64; n++) {
            for (int c : pruned.get("layer1.0.conv1")) {
                for (int p = 0; p < 100; p++) {
                    assertEquals(0f, unit[(n * 8 + c) * 100 + p], "pruned channel " + c + " without masks");
                }
            }
        }
    }

    @Test
    void a_pruned_onnx_model_with_batch_norm_is_fine_tuned_and_written_back() throws IOException {
        ModelOptions options = ModelOptions.defaults().withDevice("cpu");
        float[] images = randomImages(64, new ImageShape(3, 10, 10), 4).pixels();
        int[] labels = IntStream.range(0, 64).map(i -> i % 7).toArray();
        ImageBatch batch = new ImageBatch(images, null, 64);
        Path saved = tmp.resolve("tuned.onnx");
        try (BadNet net = BadNet.load(fixture("residual_cnn_bn.onnx"), options);
                BadNet pruned = net.pruned("layer2.0.conv1", new int[] {2, 7});
                BadNet tuned = pruned.fineTuned(images, labels, new TrainingConfig(2, 16, 1e-2, 3, "PyTorch"),
                        StepListener.NONE)) {
            assertEquals(pruned.prunedChannels().keySet(), tuned.prunedChannels().keySet());
            float[] unit = tuned.outputs(batch, java.util.Set.of("layer2.0.conv1")).get("layer2.0.conv1");
            for (int n = 0; n < 64; n++) {
                for (int c : new int[] {2, 7}) {
                    for (int p = 0; p < 25; p++) {
                        assertEquals(0f, unit[(n * 12 + c) * 25 + p]);
                    }
                }
            }
            assertTrue(!Arrays.equals(pruned.logits(batch), tuned.logits(batch)), "fine-tuning changed the model");
            tuned.save(saved);
            try (BadNet reloaded = BadNet.load(saved, options)) {
                assertArrayEquals(tuned.logits(batch), reloaded.logits(batch));
            }
        }
    }

    @Test
    void an_unsupported_onnx_operator_is_refused_naming_the_node() throws IOException {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(fixture("plain_cnn.onnx")));
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        graph.setNode(1, graph.getNode(1).toBuilder().setOpType("LeakyRelu"));
        Path file = tmp.resolve("leaky.onnx");
        Files.write(file, model.toBuilder().setGraph(graph).build().toByteArray());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": node '/relu1/Relu' (LeakyRelu) is not supported"), e.getMessage());

        graph = model.getGraph().toBuilder();
        OnnxMl.NodeProto.Builder pool = graph.getNode(2).toBuilder();
        for (int i = 0; i < pool.getAttributeCount(); i++) {
            if (pool.getAttribute(i).getName().equals("ceil_mode")) {
                pool.setAttribute(i, pool.getAttribute(i).toBuilder().setI(1));
            }
        }
        graph.setNode(2, pool);
        Files.write(file, model.toBuilder().setGraph(graph).build().toByteArray());
        e = assertThrows(ModelFormatException.class, () -> OnnxReader.read(file));
        assertTrue(e.getMessage().contains("node '/pool1/MaxPool' (MaxPool) has ceil_mode 1, which is not supported"),
                e.getMessage());
    }

    @Test
    void an_onnx_opset_or_attribute_outside_what_is_supported_is_refused() throws IOException {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(fixture("plain_cnn.onnx")));
        Path file = tmp.resolve("opset.onnx");
        Files.write(file, model.toBuilder().setOpsetImport(0, model.getOpsetImport(0).toBuilder().setVersion(18))
                .build().toByteArray());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxReader.read(file));
        assertEquals(file + ": ONNX opset 18 is not supported; supported: 11 to 17", e.getMessage());

        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        OnnxMl.NodeProto.Builder conv = graph.getNode(0).toBuilder();
        for (int i = 0; i < conv.getAttributeCount(); i++) {
            if (conv.getAttribute(i).getName().equals("group")) {
                conv.setAttribute(i, conv.getAttribute(i).toBuilder().setI(2));
            }
        }
        Path grouped = tmp.resolve("grouped.onnx");
        Files.write(grouped, model.toBuilder().setGraph(graph.setNode(0, conv)).build().toByteArray());
        e = assertThrows(ModelFormatException.class, () -> OnnxReader.read(grouped));
        assertEquals(grouped + ": node '/conv1/Conv' (Conv) has group 2, which is not supported", e.getMessage());
    }

    @Test
    void a_truncated_onnx_file_is_refused() throws IOException {
        byte[] bytes = Files.readAllBytes(fixture("residual_cnn.onnx"));
        Path file = tmp.resolve("truncated.onnx");
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not a readable ONNX model"), e.getMessage());
    }

    @Test
    void an_unsupported_keras_layer_is_refused_naming_it() throws IOException {
        Path architecture = tmp.resolve("leaky.json");
        Files.writeString(architecture, """
                {"class_name": "Sequential", "config": {"name": "s", "layers": [
                  {"class_name": "Conv2D", "config": {"name": "conv1", "filters": 6, "kernel_size": [3, 3],
                   "strides": [1, 1], "padding": "valid", "activation": "relu", "use_bias": true,
                   "batch_input_shape": [null, 12, 12, 1]}},
                  {"class_name": "LeakyReLU", "config": {"name": "leaky", "alpha": 0.3}}]}}""");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasReader.read(fixture("plain_cnn.h5"), architecture));
        assertTrue(e.getMessage().startsWith(fixture("plain_cnn.h5") + ": layer 'leaky' (LeakyReLU) is not supported"),
                e.getMessage());
    }

    @Test
    void a_keras_model_file_declaring_a_huge_kernel_is_refused_in_one_line() throws IOException {
        Path file = Files.copy(fixture("keras_same.h5"), tmp.resolve("huge.h5"));
        Hdf5HeaderPatch.declareDimension(file, "model_weights/conv_b/conv_b/kernel:0", 3, 1L << 40);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> BadNet.load(file, ModelOptions.defaults().withDevice("cpu")));
        assertTrue(e.getMessage().startsWith(file + ": conv_b/conv_b/kernel:0 declares shape ("), e.getMessage());
        assertTrue(e.getMessage().contains(", 1099511627776); a dimension over"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void weights_that_do_not_match_the_architecture_given_are_refused() throws IOException {
        Path architecture = tmp.resolve("wider.json");
        Files.writeString(architecture, """
                {"class_name": "Sequential", "config": {"name": "s", "layers": [
                  {"class_name": "Conv2D", "config": {"name": "conv1", "filters": 7, "kernel_size": [3, 3],
                   "strides": [1, 1], "padding": "valid", "activation": "relu", "use_bias": true,
                   "batch_input_shape": [null, 12, 12, 1]}},
                  {"class_name": "Flatten", "config": {"name": "flatten"}},
                  {"class_name": "Dense", "config": {"name": "fc2", "units": 10, "activation": "softmax"}}]}}""");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> KerasReader.read(fixture("plain_cnn.h5"), architecture));
        assertTrue(e.getMessage().contains("conv1/conv1/kernel:0 has shape [3, 3, 1, 6], the architecture needs [3, 3, 1, 7]"),
                e.getMessage());
    }

    @Test
    void a_keras_model_read_with_its_architecture_json_equals_the_full_model() throws IOException {
        Path architecture = tmp.resolve("plain.json");
        try (HdfFile hdf = new HdfFile(fixture("plain_cnn.h5"))) {
            Files.writeString(architecture, (String) hdf.getAttribute("model_config").getData());
        }
        GraphModel full = read("plain_cnn.h5");
        GraphModel withJson = KerasReader.read(fixture("plain_cnn.h5"), architecture);
        assertEquals(names(full), names(withJson));
        full.weights().forEach((k, v) -> assertArrayEquals(v, withJson.weights().get(k), k));
    }

    @ParameterizedTest
    @CsvSource({"residual_cnn_bn.onnx, layer1.0.conv1", "residual_cnn_bn.onnx, layer2.0.conv2",
        "residual_cnn.h5, layer1_0_conv2", "residual_cnn.onnx, conv_d", "plain_cnn.onnx, conv2"})
    void a_sweep_from_the_cache_answers_as_the_pruned_model_on_residual_graphs(String file, String conv)
            throws IOException {
        ModelOptions options = ModelOptions.defaults().withDevice("cpu");
        try (BadNet net = BadNet.load(fixture(file), options)) {
            ImageShape in = net.architecture().input();
            ImageBatch images = randomImages(40, in, 9);
            int channels = net.architecture().graph().shape(conv)[0];
            int[] pruned = IntStream.range(0, channels).filter(c -> c % 3 == 1).toArray();
            try (BadNet prunedNet = net.pruned(conv, pruned);
                    PruningCache cache = PruningCache.build(net, conv, HooksAndPruningTest.source(images), 16, List.of())) {
                assertArrayEquals(net.classify(images), cache.originalClasses());
                assertArrayEquals(prunedNet.classify(images), cache.classify(pruned), "the cache at "
                        + net.architecture().cachePoint(conv));
                float[] unit = prunedNet.outputs(images, java.util.Set.of(conv)).get(conv);
                int plane = unit.length / images.size() / channels;
                for (int n = 0; n < images.size(); n++) {
                    for (int c : pruned) {
                        for (int p = 0; p < plane; p++) {
                            assertEquals(0f, unit[(n * channels + c) * plane + p], "pruned channel " + c);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"residual_cnn_bn.onnx, layer1.0.conv1", "residual_cnn.onnx, layer2.0.conv2", "plain_cnn.onnx, conv2",
        "keras_same.onnx, conv_c", "residual_cnn.h5, layer1_0_conv1", "plain_cnn.h5, conv2", "keras_same.h5, conv_b"})
    void a_pruned_model_is_written_in_its_format_and_reloads_to_the_same_outputs(String file, String conv)
            throws IOException {
        ModelOptions options = ModelOptions.defaults().withDevice("cpu");
        Path saved = tmp.resolve("repaired" + file.substring(file.indexOf('.')));
        try (BadNet net = BadNet.load(fixture(file), options)) {
            ImageBatch images = randomImages(20, net.architecture().input(), 2);
            try (BadNet pruned = net.pruned(conv, new int[] {0, 3})) {
                pruned.save(saved);
                assertThrows(IOException.class, () -> pruned.save(saved), "never overwritten");
                try (BadNet reloaded = BadNet.load(saved, options)) {
                    assertArrayEquals(pruned.logits(images), reloaded.logits(images));
                    assertTrue(!Arrays.equals(net.logits(images), reloaded.logits(images)), "the pruning was written");
                    assertEquals(names(read(file)), names(file.endsWith(".onnx") ? OnnxReader.read(saved)
                            : KerasReader.read(saved)));
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"plain_cnn.h5", "keras_same.h5"})
    void a_keras_model_writer_that_fails_half_way_leaves_no_target_file(String file) throws IOException {
        Path original = Files.copy(fixture(file), tmp.resolve("original.h5"));
        Path target = tmp.resolve("repaired.h5");
        try (BadNet net = BadNet.load(original, ModelOptions.defaults().withDevice("cpu"))) {
            // The weights are written in the original's layout, read as they are written: an original
            // replaced by one without the layers makes the writer fail after it has begun.
            Files.delete(original);
            try (WritableHdfFile hdf = HdfFile.write(original)) {
                hdf.putGroup(KerasWeights.FULL_MODEL_GROUP);
            }
            FileSystemException failed = assertThrows(FileSystemException.class, () -> net.save(target));
            assertEquals(target.toString(), failed.getFile());
            assertTrue(failed.getMessage().contains("no longer in"), failed.getMessage());
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(original), files.toList(), "neither the target nor a temporary file");
        }
    }

    @Test
    void a_weight_behind_an_identity_gets_its_own_initializer_when_written() throws IOException {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(fixture("plain_cnn.onnx")));
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        graph.setNode(0, graph.getNode(0).toBuilder().setInput(1, "alias"));
        graph.addNode(0, OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("Identity_0")
                .addInput("conv1.weight").addOutput("alias"));
        Path aliased = Files.write(tmp.resolve("aliased.onnx"), model.toBuilder().setGraph(graph).build().toByteArray());
        ModelOptions options = ModelOptions.defaults().withDevice("cpu");
        Path saved = tmp.resolve("repaired.onnx");
        try (BadNet net = BadNet.load(aliased, options); BadNet pruned = net.pruned("conv1", new int[] {2})) {
            ImageBatch images = randomImages(20, net.architecture().input(), 2);
            pruned.save(saved);
            try (BadNet reloaded = BadNet.load(saved, options)) {
                assertArrayEquals(pruned.logits(images), reloaded.logits(images));
            }
            OnnxMl.GraphProto written = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(saved)).getGraph();
            assertEquals("conv1/weight", written.getNode(1).getInput(1));
        }
    }

    @Test
    void models_load_by_content_not_by_name() throws IOException {
        Path onnxNamedH5 = Files.copy(fixture("plain_cnn.onnx"), tmp.resolve("model.h5"));
        Path kerasNamedOnnx = Files.copy(fixture("plain_cnn.h5"), tmp.resolve("model.onnx"));
        try (HdfFile expected = new HdfFile(fixture("plain_cnn.expected.h5"))) {
            float[] input = (float[]) expected.getDatasetByPath("input").getDataFlat();
            float[] logits = (float[]) expected.getDatasetByPath("logits").getDataFlat();
            ImageBatch batch = new ImageBatch(input, null, 4);
            for (Path file : List.of(onnxNamedH5, kerasNamedOnnx)) {
                try (BadNet net = BadNet.load(file, ModelOptions.defaults().withDevice("cpu"))) {
                    assertClose(logits, net.logits(batch), file.toString());
                    assertEquals(10, net.architecture().classes());
                }
            }
        }
        Path text = Files.writeString(tmp.resolve("notes.onnx"), "not a model");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> BadNet.load(text, ModelOptions.defaults().withDevice("cpu")));
        assertEquals(text + ": not a readable Keras HDF5 weights file or ONNX model", e.getMessage());
    }

    private static List<String> names(GraphModel model) {
        return model.graph().layers().stream().map(Layer::name).toList();
    }

    /**
     * The logits ({@code output}) for {@code images} with {@code pruned} channels masked, and with
     * {@code observe} every layer's output.
     */
    static Map<String, float[]> run(GraphModel graph, float[] images, String engine, Map<String, int[]> pruned,
            boolean observe) {
        Architecture architecture = Architecture.of(graph.graph());
        ImageShape in = architecture.input();
        try (Model model = Model.newInstance("graph", Device.cpu(), engine)) {
            NDManager manager = model.getNDManager();
            GraphBlock block = architecture.newBlock();
            model.setBlock(block);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, in.channels(), in.height(), in.width()));
            block.setParameters(graph.weights());
            Map<String, float[]> outputs = new HashMap<>();
            NDArray x = manager.create(images, new Shape(images.length / in.size(), in.channels(), in.height(), in.width()));
            NDArray logits = block.forward(new ParameterStore(manager, false), x, "input",
                    ChannelMasks.create(manager, architecture, pruned), false, new LayerObserver() {
                        @Override
                        public boolean wants(String layer) {
                            return observe;
                        }

                        @Override
                        public void onOutput(String layer, NDArray output) {
                            outputs.put(layer, output.toFloatArray());
                        }
                    });
            outputs.put("output", logits.toFloatArray());
            return outputs;
        }
    }

    private static ImageBatch randomImages(int count, ImageShape shape, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] pixels = new float[count * shape.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        return new ImageBatch(pixels, null, count);
    }

    private static int[] order(float[] nchw, int images, int channels) {
        int plane = nchw.length / images / channels;
        double[] means = new double[channels];
        for (int i = 0; i < nchw.length; i++) {
            means[i / plane % channels] += nchw[i];
        }
        return IntStream.range(0, channels).boxed().sorted((a, b) -> Double.compare(means[a], means[b]))
                .mapToInt(Integer::intValue).toArray();
    }

    private static int[] classes(float[] logits) {
        int n = logits.length / 10;
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            for (int c = 1; c < 10; c++) {
                if (logits[i * 10 + c] > logits[i * 10 + classes[i]]) {
                    classes[i] = c;
                }
            }
        }
        return classes;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / scale);
        }
        assertTrue(worst <= RELATIVE, what + ": largest difference relative to the largest logit " + worst);
    }
}
