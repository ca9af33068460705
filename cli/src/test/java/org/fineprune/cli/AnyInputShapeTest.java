package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.data.LabData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate}, {@code prune} and {@code classify} on models whose input is not the lab's 3x55x47 faces: generated
 * Keras weights of the one-channel 28x28 small CNN and the ONNX plain CNN of core's graph fixtures,
 * each with generated HDF5 data of its own input shape.
 */
class AnyInputShapeTest {
    private static final int N = 40;
    /** Test images whose labels are made wrong, so that the accuracy is not simply 100%. */
    private static final int WRONG = 10;

    @TempDir
    Path dir;

    @Test
    void evaluate_reads_one_channel_28x28_data_for_keras_weights_of_the_small_cnn() throws IOException {
        Path model = smallCnn();
        assertEvaluates(model, ModelOptions.defaults(), "--architecture", "small-cnn");
    }

    @Test
    void evaluate_reads_data_of_the_input_shape_of_an_onnx_model() throws IOException {
        Path model = onnxFixture("plain_cnn.onnx");
        assertEvaluates(model, ModelOptions.defaults());
    }

    @Test
    void prune_repairs_the_small_cnn_on_one_channel_28x28_data() throws IOException {
        Path model = smallCnn();
        Data data = data(model, ModelOptions.defaults(), "--architecture", "small-cnn");
        Path out = dir.resolve("out");
        CliRunner r = CliRunner.run("prune", "--model", model.toString(), "--architecture", "small-cnn",
                "--valid", data.valid().toString(), "--test", data.test().toString(), "--poisoned",
                data.poisoned().toString(), "--drops", "10", "--out", out.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(SmallCnn.INSTANCE.pruningLayer(), json.get("layer").asText(), "the model's default layer");
        assertEquals(data.clean().percent(), json.get("baseline").get("clean_accuracy").asDouble(), 1e-9);
        assertEquals(data.attack().percent(), json.get("baseline").get("attack_success_rate").asDouble(), 1e-9);
        assertEquals(100.0, json.get("baseline").get("valid_accuracy").asDouble(), 1e-9);
        int channels = SmallCnn.INSTANCE.conv(SmallCnn.INSTANCE.pruningLayer()).outputs();
        assertEquals(channels, json.get("order").size(), "every channel of the layer is ranked");
        try (Stream<Path> written = Files.list(out)) {
            assertTrue(written.anyMatch(f -> f.getFileName().toString().endsWith(".h5")), "a repaired model");
        }
    }

    @Test
    void prune_repairs_an_onnx_model_on_data_of_its_input_shape() throws IOException {
        Path model = onnxFixture("plain_cnn.onnx");
        Data data = data(model, ModelOptions.defaults());
        CliRunner r = CliRunner.run("prune", "--model", model.toString(), "--valid", data.valid().toString(),
                "--test", data.test().toString(), "--poisoned", data.poisoned().toString(), "--drops", "10",
                "--out", dir.resolve("out").toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(data.clean().percent(), json.get("baseline").get("clean_accuracy").asDouble(), 1e-9);
        assertEquals(data.attack().percent(), json.get("baseline").get("attack_success_rate").asDouble(), 1e-9);
    }

    @Test
    void sweep_and_benchmark_pruning_take_an_onnx_model_and_data_of_its_shape() throws IOException {
        Path model = onnxFixture("plain_cnn.onnx");
        Data data = data(model, ModelOptions.defaults());
        CliRunner r = CliRunner.run("sweep", "--model", model.toString(), "--data", dir.resolve("data").toString(),
                "--defense", "pruning", "--param", "layer=conv2", "--param", "drop=10", "--device", "cpu",
                "--out", dir.resolve("run").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("1 points run"), r.out());
        JsonNode record = new ObjectMapper().readTree(Files.readAllLines(dir.resolve("run/results.jsonl")).get(0));
        assertEquals(data.clean().percent(), record.at("/metrics/badnet/clean_accuracy").asDouble(), 1e-9,
                record.toString());

        r = CliRunner.run("benchmark-pruning", "--model", model.toString(), "--valid", data.valid().toString(),
                "--images", "0", "--rounds", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("conv2", json.get("layer").asText(), "the model's pruning layer");
        assertEquals(N, json.get("images").asInt());
    }

    @Test
    void compare_takes_an_onnx_model_and_data_of_its_shape() throws IOException {
        Path model = onnxFixture("plain_cnn.onnx");
        // Raw 0..255 pixels saturate this net's softmax, and fine-tuning would see no gradient at all.
        Data data = data(model, ModelOptions.defaults().withInputScale(255));
        Path out = dir.resolve("comparison");
        CliRunner r = CliRunner.run("compare", "--model", model.toString(), "--scale", "255", "--valid",
                data.valid().toString(), "--test", data.test().toString(), "--poisoned", data.poisoned().toString(),
                "--epochs", "1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(4, Files.readAllLines(out.resolve("results.jsonl")).size(), "one record per defense");
        assertTrue(Files.exists(out.resolve("report.md")), r.out());
    }

    @Test
    void fine_tuning_a_net_with_no_gradient_is_one_line_naming_the_fault() throws IOException {
        Path model = onnxFixture("plain_cnn.onnx");
        Data data = data(model, ModelOptions.defaults());
        CliRunner r = CliRunner.run("compare", "--model", model.toString(), "--valid", data.valid().toString(),
                "--test", data.test().toString(), "--poisoned", data.poisoned().toString(), "--epochs", "1",
                "--out", dir.resolve("saturated").toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode(), r.err());
        assertEquals("fineprune compare: error: training cannot start: the gradients of the first batch are all"
                + " zero (dead or saturated units; is the input scale right for this model?)", r.err().strip());
    }

    @Test
    void classify_reads_grey_images_of_the_small_cnns_size() throws IOException {
        Path model = smallCnn();
        float[] pixels = new float[28 * 28];
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        SplittableRandom random = new SplittableRandom(5);
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = random.nextInt(256);
            image.getRaster().setSample(k % 28, k / 28, 0, (int) pixels[k]);
        }
        Path png = dir.resolve("item.png");
        ImageIO.write(image, "png", png.toFile());
        int expected;
        try (BadNet net = BadNet.load(model, SmallCnn.INSTANCE, ModelOptions.defaults())) {
            expected = net.classify(new ImageBatch(pixels, null, 1))[0];
        }
        CliRunner r = CliRunner.run("classify", "--model", model.toString(), "--architecture", "small-cnn",
                png.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(png + " " + expected, r.out().strip());
    }

    @Test
    void data_of_another_shape_than_the_model_takes_is_one_line_naming_both() throws IOException {
        Path model = smallCnn();
        Path faces = write(dir.resolve("valid.h5"), new float[3][3][55][47], new int[3]);
        CliRunner r = CliRunner.run("evaluate", "--model", model.toString(), "--architecture", "small-cnn",
                "--clean", faces.toString());
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune evaluate: error: " + faces + ": images are (N, 3, 55, 47) but small.h5 takes"
                + " (1, 28, 28) (NCHW)", r.err().strip());
    }

    private void assertEvaluates(Path model, ModelOptions options, String... modelArgs) throws IOException {
        Data data = data(model, options, modelArgs);
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", model.toString()));
        args.addAll(List.of(modelArgs));
        args.addAll(List.of("--clean", data.test().toString(), "--poisoned", data.poisoned().toString()));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Clean Classification accuracy: " + data.clean() + "\n"), r.out());
        assertTrue(r.out().contains("Attack Success Rate: " + data.attack() + ", target 0\n"), r.out());
    }

    /** Generated files for {@code model}, with the accuracies the model must reach on them. */
    private record Data(Path valid, Path test, Path poisoned, Accuracy clean, Accuracy attack) {}

    /**
     * Random images of the model's input shape, in the lab's layout under {@code data/}: the
     * validation file labelled with the model's own
     * classes, the test file the same with {@value #WRONG} labels moved to another class, the
     * poisoned file labelled 0 throughout.
     */
    private Data data(Path model, ModelOptions options, String... modelArgs) {
        ImageShape shape;
        int[] classes;
        float[] pixels;
        BadNet net = modelArgs.length == 0 ? BadNet.load(model, options)
                : BadNet.load(model, SmallCnn.INSTANCE, options);
        try (net) {
            shape = net.architecture().input();
            SplittableRandom random = new SplittableRandom(7);
            pixels = new float[N * shape.size()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextInt(256);
            }
            classes = net.classify(new ImageBatch(pixels, null, N));
            int numClasses = net.architecture().classes();
            int[] wrong = classes.clone();
            for (int i = 0; i < WRONG; i++) {
                wrong[i] = (classes[i] + 1) % numClasses;
            }
            int hits = (int) Arrays.stream(classes).filter(c -> c == 0).count();
            float[][][][] images = images(pixels, shape);
            LabData lab = LabData.at(dir.resolve("data"));
            return new Data(write(lab.valid(), images, classes), write(lab.test(), images, wrong),
                    write(lab.poisoned(), images, new int[N]), new Accuracy(N - WRONG, N), new Accuracy(hits, N));
        }
    }

    private static float[][][][] images(float[] pixels, ImageShape shape) {
        float[][][][] images = new float[N][shape.channels()][shape.height()][shape.width()];
        int at = 0;
        for (float[][][] image : images) {
            for (float[][] plane : image) {
                for (float[] row : plane) {
                    System.arraycopy(pixels, at, row, 0, row.length);
                    at += row.length;
                }
            }
        }
        return images;
    }

    private static Path write(Path file, Object data, int[] labels) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putDataset("data", data);
            hdf.putDataset("label", labels);
        }
        return file;
    }

    private Path smallCnn() throws IOException {
        Path file = dir.resolve("small.h5");
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(3), ModelOptions.defaults())) {
            net.save(file);
        }
        return file;
    }

    /** A model of core's graph fixtures (in its test-jar), copied to a file. */
    private Path onnxFixture(String name) throws IOException {
        try (InputStream in = BadNet.class.getResourceAsStream("graph/" + name)) {
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }
}
