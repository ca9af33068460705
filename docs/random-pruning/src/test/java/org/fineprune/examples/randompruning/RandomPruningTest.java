package org.fineprune.examples.randompruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fineprune.cli.FinepruneCli;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageShape;
import org.fineprune.core.LayerChannel;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.SmallCnn;
import org.fineprune.core.testing.BlobImages;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.core.testing.SmallCnnWeights;
import org.fineprune.data.LabData;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.experiments.Experiment;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.Sweep;
import org.fineprune.experiments.SweepResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example defense is found through META-INF/services alone, listed, run by name, and named by no other module. */
class RandomPruningTest {
    @Test
    void bin_fineprune_defenses_lists_it_with_the_parameters_of_pruning() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FinepruneCli.run(new String[] {"defenses"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        int at = lines.indexOf("random-pruning: Prunes as many channels as pruning would, chosen at random with the"
                + " seed (a baseline).");
        assertTrue(at >= 0, out.toString());
        assertTrue(lines.get(at + 3).startsWith("  drop "), out.toString());
    }

    @Test
    void the_random_order_is_every_channel_once_drawn_from_the_seed() {
        int[] order = RandomPruning.randomChannels(60, 1);
        assertArrayEquals(IntStream.range(0, 60).toArray(), Arrays.stream(order).sorted().toArray());
        assertArrayEquals(order, RandomPruning.randomChannels(60, 1));
        assertNotEquals(List.of(order), List.of(RandomPruning.randomChannels(60, 2)));
    }

    @Test
    void it_prunes_the_first_channels_of_its_order_as_many_as_mean_activation_pruning() throws IOException {
        Defense random = Defenses.find("random-pruning");
        Defense pruning = Defenses.find("pruning");
        float[] pixels = BlobImages.generate(120, 9);
        try (BadNet net = BadNet.fromWeights(SmallCnn.INSTANCE, SmallCnnWeights.random(3),
                new ModelOptions(SmallCnn.INPUT_SCALE, "PyTorch", "cpu"))) {
            DefenderData data = new DefenderData(new ArrayImages("generated", ImageShape.FASHION_MNIST, pixels,
                    net.classify(new ImageBatch(pixels, null, 120))));
            for (double drop : new double[] {2, 30}) {
                try (DefenseResult byMean = pruning.apply(net, data, pruning.settings(Map.of("drop", drop)), 1);
                        DefenseResult result = random.apply(net, data, random.settings(Map.of("drop", drop)), 1)) {
                    String layer = net.architecture().pruningLayer();
                    int[] pruned = result.repairedModel().orElseThrow().prunedChannels().get(layer);
                    int k = byMean.repairedModel().orElseThrow().prunedChannels().get(layer).length;
                    assertTrue(k > 0 && k < 32, "drop " + drop + " prunes " + k);
                    assertEquals(k, pruned.length);
                    List<LayerChannel> order = result.pruningOrder();
                    assertEquals(Arrays.stream(RandomPruning.randomChannels(32, 1))
                            .mapToObj(c -> new LayerChannel(layer, c)).toList(), order);
                    assertEquals(order.subList(0, k), Arrays.stream(pruned)
                            .mapToObj(c -> new LayerChannel(layer, c)).toList());
                }
            }
        }
    }

    @Test
    void a_layer_that_is_not_a_convolution_is_refused_by_check_naming_the_defense_and_the_convolutions() {
        Defense random = Defenses.find("random-pruning");
        assertEquals("defense 'random-pruning': parameter 'layer': 'fc_1' is not a convolution layer of small-cnn;"
                + " conv layers: [conv_1, conv_2]", assertThrows(IllegalArgumentException.class,
                        () -> random.check(SmallCnn.INSTANCE, random.settings(Map.of("layer", "fc_1"))))
                        .getMessage());
        random.check(SmallCnn.INSTANCE, random.settings(Map.of("layer", "conv_1")));
    }

    @Test
    @Tag("real-data")
    void runs_through_the_registry_pruning_as_many_channels_as_mean_activation_pruning() throws IOException {
        Defense random = Defenses.find("random-pruning");
        Defense pruning = Defenses.find("pruning");
        LabDataset valid = LabDataset.open(SharedCsaw.file("data/cl/valid.h5"));
        try (BadNet net = BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine("PyTorch").withDevice("cpu"));
                DefenseResult byMean = pruning.apply(net, new DefenderData(valid),
                        pruning.settings(Map.of("drop", 4)), 1);
                DefenseResult seed1 = random.apply(net, new DefenderData(valid), random.settings(Map.of("drop", 4)), 1);
                DefenseResult again = random.apply(net, new DefenderData(valid), random.settings(Map.of("drop", 4)), 1);
                DefenseResult seed2 = random.apply(net, new DefenderData(valid), random.settings(Map.of("drop", 4)), 2)) {
            int[] meanChannels = byMean.repairedModel().orElseThrow().prunedChannels().get("conv_3");
            int[] randomChannels = seed1.repairedModel().orElseThrow().prunedChannels().get("conv_3");
            assertTrue(meanChannels.length > 0);
            assertEquals(meanChannels.length, randomChannels.length);
            assertEquals(byMean.diagnostics().get("prunedChannels"), seed1.diagnostics().get("meanActivationChannels"));
            assertEquals(seed1.diagnostics(), again.diagnostics());
            assertNotEquals(seed1.diagnostics().get("prunedChannels"), seed2.diagnostics().get("prunedChannels"));
            assertTrue(seed1.inputDetector().isPresent());
            assertEquals(60, seed1.pruningOrder().size());
            assertEquals(seed1.pruningOrder().subList(0, randomChannels.length), Arrays.stream(randomChannels)
                    .mapToObj(c -> new LayerChannel("conv_3", c)).toList());
        }
    }

    @Test
    @Tag("real-data")
    void runs_in_a_dsl_sweep_recording_each_drop(@TempDir Path tmp) throws IOException {
        SweepResult result = Experiment.named("random").model(BadNet.keras(SharedCsaw.file("models/bd_weights.h5")))
                .data(LabData.at(SharedCsaw.file("data"))).defense("random-pruning")
                .sweep(Sweep.over("drop", 4, 10).seeds(1, 2)).run(tmp.resolve("run"));
        assertEquals(Set.of("defense=random-pruning,drop=4,engine=PyTorch,seed=1",
                "defense=random-pruning,drop=4,engine=PyTorch,seed=2",
                "defense=random-pruning,drop=10,engine=PyTorch,seed=1",
                "defense=random-pruning,drop=10,engine=PyTorch,seed=2"),
                result.records().stream().map(PointRecord::point).collect(Collectors.toSet()));
        assertEquals(4, result.ran());
    }

    @Test
    @Tag("real-data")
    void the_command_line_sweeps_it_then_replays_and_reports_its_records(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FinepruneCli.run(new String[] {"sweep", "--defense", "random-pruning", "--param", "drop=4,10",
            "--model", SharedCsaw.file("models/bd_weights.h5").toString(), "--data", SharedCsaw.file("data").toString(),
            "--device", "cpu", "--out", run.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().startsWith("2 points run, 0 already recorded"), out.toString());

        StringWriter replayed = new StringWriter();
        code = FinepruneCli.run(new String[] {"reproduce", run.resolve("results.jsonl").toString()},
                new PrintWriter(replayed, true), new PrintWriter(err, true));
        assertEquals(0, code, replayed + err.toString());
        assertTrue(replayed.toString().endsWith("2 of 2 points reproduced\n"), replayed.toString());

        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("random-pruning"), report);
    }

    @Test
    void no_other_module_names_it() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        Path root = module.getParent().getParent();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")), root.toString());
        List<String> names = List.of("org.fineprune.examples.randompruning", "RandomPruning",
                "fineprune-random-pruning");
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> naming = files.filter(Files::isRegularFile)
                    .filter(f -> !f.startsWith(module) && !f.startsWith(root.resolve(".git")))
                    .filter(f -> !f.toString().contains("/target/"))
                    .filter(f -> f.toString().matches(".*\\.(java|xml|yaml|json|txt|md|properties)$")
                            || f.toString().contains("META-INF/services"))
                    .filter(f -> names.stream().anyMatch(read(f)::contains))
                    .toList();
            assertEquals(List.of(), naming);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
