package org.fineprune.defenses.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.fineprune.core.Accuracy;
import org.fineprune.core.BadNet;
import org.fineprune.core.Classifier;
import org.fineprune.core.DeepId;
import org.fineprune.core.Evaluation;
import org.fineprune.core.GoodNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageSource;
import org.fineprune.core.KerasWeights;
import org.fineprune.core.LayerWeights;
import org.fineprune.core.ModelOptions;
import org.fineprune.core.PruningCache;
import org.fineprune.core.StepListener;
import org.fineprune.core.testing.SharedCsaw;
import org.fineprune.data.LabDataset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mean-activation pruning of the real lab3 BadNet (conv_3 ranked by pool_3) on the lab's clean
 * validation images, checked against an independent plain-Java computation of the ranking and of
 * the network after pool_3, across engines, against the slow full-forward path, and through saving,
 * reloading and the repair evaluation on the test files.
 */
@Tag("real-data")
class MeanActivationPruningRealDataTest {
    private static final int CHANNELS = 60;
    private static final int H = 5;
    private static final int W = 4;
    private static final int C4 = 80;
    private static final int H4 = H - 1;
    private static final int W4 = W - 1;
    private static final int UNITS = 160;
    /** Top-2 logits closer than this may legitimately be ordered differently by float32 engines. */
    private static final double TIE_MARGIN = 1e-4;

    private static LabDataset valid;
    private static LabDataset cleanTest;
    private static LabDataset poisonedTest;
    private static BadNet torch;
    /** The sweep under test: PyTorch, lab settings, cached fast path. */
    private static PruningCurve labCurve;
    private static Reference reference;

    @BeforeAll
    static void sweepTheLabBadNet() throws IOException {
        valid = LabDataset.open(SharedCsaw.file("data/cl/valid.h5"));
        cleanTest = LabDataset.open(SharedCsaw.file("data/cl/test.h5"));
        poisonedTest = LabDataset.open(SharedCsaw.file("data/bd/bd_test.h5"));
        assertEquals(72, valid.size());
        torch = load("PyTorch");
        List<int[]> steps = new ArrayList<>();
        labCurve = new MeanActivationPruning(PruningConfig.lab()).sweep(torch, valid,
                (done, total) -> steps.add(new int[] {done, total}));
        assertEquals(CHANNELS, steps.size(), "one listener call per pruning step");
        for (int k = 0; k < steps.size(); k++) {
            assertArrayEquals(new int[] {k + 1, CHANNELS}, steps.get(k), "listener call " + k);
        }
        reference = Reference.compute(torch, valid);
    }

    @AfterAll
    static void closeNet() {
        if (torch != null) {
            torch.close();
        }
    }

    private static BadNet load(String engine) {
        return BadNet.load(SharedCsaw.file("models/bd_weights.h5"),
                ModelOptions.defaults().withEngine(engine).withDevice("cpu"));
    }

    // ---- a. independent computation ----

    @Test
    void ranking_and_means_match_an_independent_computation() {
        assertEquals("conv_3", labCurve.layer());
        assertEquals("pool_3", labCurve.rankingLayer());
        assertArrayEquals(reference.order, labCurve.order(),
                "pruning order; independent " + Arrays.toString(reference.order));
        for (int c = 0; c < CHANNELS; c++) {
            double expected = reference.means[c];
            double actual = labCurve.means()[c];
            assertTrue(Math.abs(expected - actual) <= 1e-6 * Math.max(Math.abs(expected), Math.abs(actual)),
                    "mean of channel " + c + ": independent " + expected + ", sweep " + actual);
        }
        // the order is also consistent with the sweep's own means
        assertArrayEquals(PruningCurve.rank(labCurve.means()), labCurve.order());
    }

    @Test
    void about_thirty_pool3_channels_never_fire_on_clean_validation_images() {
        int[] zero = IntStream.range(0, CHANNELS).filter(c -> reference.means[c] == 0).toArray();
        int[] sweepZero = IntStream.range(0, CHANNELS).filter(c -> labCurve.means()[c] == 0).toArray();
        System.out.printf(Locale.ROOT, "[pruning] %d pool_3 channels have zero mean: %s%n", zero.length,
                Arrays.toString(zero));
        assertArrayEquals(zero, sweepZero, "channels with an exactly zero mean");
        assertTrue(zero.length >= 25 && zero.length <= 40, zero.length + " zero-mean channels");
        // they are pruned first, in index order, and pruning them changes no validation prediction
        assertArrayEquals(zero, Arrays.copyOf(labCurve.order(), zero.length));
        for (int k = 1; k <= zero.length; k++) {
            assertEquals(labCurve.baselineAccuracy(), labCurve.accuracy(k), "accuracy after " + k + " dead channels");
        }
        for (int c = 0; c < CHANNELS; c++) {
            assertTrue(labCurve.means()[c] >= 0, "a pooled ReLU output has a non-negative mean");
        }
    }

    @Test
    void independent_head_reproduces_the_engine_logits_of_the_unpruned_net() throws IOException {
        float[][] logits = new float[valid.size()][];
        int[] seen = {0};
        valid.forEachBatch(256, batch -> {
            float[] out = torch.logits(batch);
            for (int i = 0; i < batch.size(); i++) {
                logits[seen[0] + i] = Arrays.copyOfRange(out, i * DeepId.CLASSES, (i + 1) * DeepId.CLASSES);
            }
            seen[0] += batch.size();
        });
        boolean[] none = new boolean[CHANNELS];
        double worst = 0;
        for (int n = 0; n < valid.size(); n++) {
            double[] mine = reference.head(n, none);
            for (int j = 0; j < DeepId.CLASSES; j++) {
                worst = Math.max(worst, Math.abs(mine[j] - logits[n][j]));
            }
        }
        assertTrue(worst < 1e-3, "largest logit difference " + worst);
    }

    @Test
    void every_curve_point_matches_an_independent_forward_of_the_head() throws IOException {
        int exactSteps = 0;
        assertEquals(reference.accuracy(0), labCurve.baselineAccuracy(), "baseline validation accuracy");
        try (PruningCache cache = PruningCache.build(torch, "conv_3", valid, 256, List.of())) {
            assertArrayEquals(reference.labels, cache.labels());
            assertArrayEquals(reference.classes[0], cache.originalClasses(), "unpruned classes");
            for (int k = 1; k <= CHANNELS; k++) {
                int[] engine = cache.classify(Arrays.copyOf(reference.order, k));
                int differing = 0;
                for (int n = 0; n < engine.length; n++) {
                    if (engine[n] != reference.classes[k][n]) {
                        differing++;
                        assertTrue(reference.margins[k][n] < TIE_MARGIN, "step " + k + ", image " + n
                                + ": engine says " + engine[n] + ", independent " + reference.classes[k][n]
                                + " with top-2 margin " + reference.margins[k][n]);
                    }
                }
                int ambiguous = reference.ambiguous(k);
                double slack = 100.0 * ambiguous / valid.size();
                assertTrue(Math.abs(labCurve.accuracy(k) - reference.accuracy(k)) <= slack, "step " + k
                        + ": sweep " + labCurve.accuracy(k) + "%, independent " + reference.accuracy(k) + "% ("
                        + ambiguous + " near-tied images, " + differing + " differing)");
                if (ambiguous == 0) {
                    assertEquals(reference.accuracy(k), labCurve.accuracy(k), "step " + k);
                    exactSteps++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "[pruning] smallest top-2 logit margin over all steps and images: %.3g; "
                + "%d of 60 steps compared exactly%n", reference.smallestMargin(), exactSteps);
        System.out.printf(Locale.ROOT, "[pruning] order prefix %s; baseline %.2f%%; curve %s%n",
                Arrays.toString(Arrays.copyOf(labCurve.order(), 40)), labCurve.baselineAccuracy(),
                Arrays.stream(labCurve.accuracies()).mapToObj(a -> String.format(Locale.ROOT, "%.1f", a))
                        .collect(Collectors.joining(" ")));
    }

    // ---- b. engines ----

    @Test
    void pytorch_and_mxnet_give_the_same_order_curve_and_selections() throws IOException {
        PruningCurve mxnetCurve;
        try (BadNet mxnet = load("MXNet")) {
            assertEquals("MXNet", mxnet.engineName());
            mxnetCurve = new MeanActivationPruning(PruningConfig.lab()).sweep(mxnet, valid, StepListener.NONE);
        }
        assertArrayEquals(labCurve.order(), mxnetCurve.order(), "order");
        assertEquals(labCurve.baselineAccuracy(), mxnetCurve.baselineAccuracy(), "baseline");
        assertArrayEquals(labCurve.accuracies(), mxnetCurve.accuracies(), "curve");
        for (int c = 0; c < CHANNELS; c++) {
            double a = labCurve.means()[c];
            double b = mxnetCurve.means()[c];
            assertTrue(Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(a), Math.abs(b)),
                    "channel " + c + ": PyTorch " + a + ", MXNet " + b);
        }
        for (SelectionRule rule : SelectionRule.values()) {
            assertSameSelections(labCurve.select(PruningConfig.DEFAULT_DROPS, rule),
                    mxnetCurve.select(PruningConfig.DEFAULT_DROPS, rule));
        }
    }

    // ---- c. fast path vs full forward ----

    @Test
    void fast_path_equals_the_full_forward_path() throws IOException {
        PruningCurve full = new MeanActivationPruning(PruningConfig.lab().fullForward(true).batchSize(50))
                .sweep(torch, valid, StepListener.NONE);
        assertArrayEquals(labCurve.order(), full.order(), "order");
        for (int c = 0; c < CHANNELS; c++) {
            double a = labCurve.means()[c];
            double b = full.means()[c];
            assertTrue(Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)),
                    "channel " + c + ": fast path " + a + ", full forward " + b);
        }
        assertEquals(labCurve.baselineAccuracy(), full.baselineAccuracy(), "baseline");
        assertArrayEquals(labCurve.accuracies(), full.accuracies(), "curve");
    }

    @Test
    void the_curve_does_not_depend_on_the_batch_size() throws IOException {
        PruningCurve small = new MeanActivationPruning(PruningConfig.lab().batchSize(7))
                .sweep(torch, valid, StepListener.NONE);
        assertArrayEquals(labCurve.order(), small.order());
        assertArrayEquals(labCurve.accuracies(), small.accuracies());
    }

    // ---- d. lab selections ----

    @Test
    void lab_selections_are_the_first_steps_over_each_threshold() {
        List<Selection> first = labCurve.select(PruningConfig.lab().drops(), SelectionRule.FIRST_OVER);
        List<Selection> last = labCurve.select(PruningConfig.lab().drops(), SelectionRule.LAST_UNDER);
        assertEquals(4, first.size());
        int previous = 0;
        for (int i = 0; i < first.size(); i++) {
            Selection s = first.get(i);
            System.out.printf(Locale.ROOT, "[pruning] drop %.0f: first-over prunes %d (valid %.2f%%, drop %.2f),"
                    + " last-under prunes %d (valid %.2f%%)%n", s.drop(), s.pruned(), s.validAccuracy(),
                    labCurve.drop(s.pruned()), last.get(i).pruned(), last.get(i).validAccuracy());
            assertTrue(s.reached(), "threshold " + s.drop() + " is reached on the lab BadNet");
            assertTrue(s.pruned() > previous, "pruned counts grow with the threshold: " + first.stream()
                    .map(Selection::pruned).toList());
            previous = s.pruned();
            assertTrue(labCurve.drop(s.pruned()) >= s.drop(), "drop at the selection");
            assertTrue(labCurve.baselineAccuracy() - s.validAccuracy() >= s.drop(), "validAccuracy drop");
            for (int k = 0; k < s.pruned(); k++) {
                assertTrue(labCurve.drop(k) < s.drop(), "drop after " + k + " is below " + s.drop());
            }
            assertEquals(labCurve.accuracy(s.pruned()), s.validAccuracy());
            assertArrayEquals(Arrays.copyOf(labCurve.order(), s.pruned()), s.channels());
            Selection u = last.get(i);
            assertTrue(u.reached());
            assertEquals(s.pruned() - 1, u.pruned(), "last-under is one step before first-over");
            assertEquals(labCurve.accuracy(u.pruned()), u.validAccuracy());
            assertTrue(labCurve.baselineAccuracy() - u.validAccuracy() < u.drop());
            assertArrayEquals(Arrays.copyOf(labCurve.order(), u.pruned()), u.channels());
        }
    }

    // ---- e. saving and reloading B' ----

    @Test
    void saved_and_reloaded_pruned_models_predict_like_the_in_memory_model_and_the_cache(@TempDir Path tmp)
            throws IOException {
        List<Selection> selections = labCurve.select(PruningConfig.DEFAULT_DROPS, SelectionRule.FIRST_OVER);
        KerasWeights original = KerasWeights.read(SharedCsaw.file("models/bd_weights.h5"), DeepId.WEIGHTED_LAYERS);
        try (PruningCache clean = PruningCache.build(torch, "conv_3", cleanTest, 256, List.of());
                PruningCache poisoned = PruningCache.build(torch, "conv_3", poisonedTest, 256, List.of())) {
            for (Selection s : selections) {
                Path file = tmp.resolve("pruned_" + s.pruned() + ".h5");
                try (BadNet pruned = torch.pruned("conv_3", s.channels())) {
                    Map<String, int[]> prunedChannels = pruned.prunedChannels();
                    assertEquals(Set.of("conv_3"), prunedChannels.keySet());
                    assertArrayEquals(s.channels(), prunedChannels.get("conv_3"));
                    pruned.save(file);
                    try (BadNet reloaded = BadNet.load(file, ModelOptions.defaults().withEngine("PyTorch")
                            .withDevice("cpu"))) {
                        for (var pair : List.of(Map.entry(cleanTest, clean), Map.entry(poisonedTest, poisoned))) {
                            int[] inMemory = classify(pruned, pair.getKey());
                            assertArrayEquals(inMemory, classify(reloaded, pair.getKey()),
                                    "reloaded B' for " + s.pruned() + " channels on " + pair.getKey().name());
                            assertArrayEquals(inMemory, pair.getValue().classify(s.channels()),
                                    "cache vs zeroed weights for " + s.pruned() + " channels on "
                                            + pair.getKey().name());
                        }
                    }
                }
                assertSavedWeightsArePruned(original, KerasWeights.read(file, DeepId.WEIGHTED_LAYERS), s.channels());
            }
        }
    }

    @Test
    void save_refuses_to_overwrite_an_existing_file(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("b_prime.h5");
        try (BadNet pruned = torch.pruned("conv_3", new int[] {0, 1})) {
            pruned.save(file);
            byte[] written = Files.readAllBytes(file);
            IOException e = assertThrows(IOException.class, () -> pruned.save(file));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("already exists"),
                    e.getMessage());
            assertArrayEquals(written, Files.readAllBytes(file), "the existing file is untouched");
            Path other = tmp.resolve("notes.txt");
            Files.writeString(other, "keep me");
            assertThrows(IOException.class, () -> pruned.save(other));
            assertEquals("keep me", Files.readString(other));
        }
    }

    private static void assertSavedWeightsArePruned(KerasWeights original, KerasWeights saved, int[] channels) {
        assertEquals(original.layout(), saved.layout(), "the saved file keeps the source layout");
        Set<Integer> pruned = Arrays.stream(channels).boxed().collect(Collectors.toSet());
        for (LayerWeights layer : original.layers().values()) {
            String name = layer.spec().name();
            LayerWeights copy = saved.layer(name);
            if (!name.equals("conv_3")) {
                assertArrayEquals(layer.kernel(), copy.kernel(), name + " kernel unchanged");
                assertArrayEquals(layer.bias(), copy.bias(), name + " bias unchanged");
                continue;
            }
            float[] kernel = copy.kernel();
            assertEquals(3 * 3 * 40 * CHANNELS, kernel.length);
            int zeros = 0;
            for (int i = 0; i < kernel.length; i++) {
                int c = i % CHANNELS; // Keras (kh, kw, in, out): the output channel varies fastest
                if (pruned.contains(c)) {
                    if (kernel[i] != 0f) {
                        fail("conv_3 kernel at flat " + i + " of pruned channel " + c + " is " + kernel[i]);
                    }
                    zeros++;
                } else if (Float.compare(layer.kernel()[i], kernel[i]) != 0) {
                    fail("conv_3 kernel at flat " + i + " of kept channel " + c + " changed from "
                            + layer.kernel()[i] + " to " + kernel[i]);
                }
            }
            assertEquals(3 * 3 * 40 * pruned.size(), zeros, "zeroed kernel values");
            for (int c = 0; c < CHANNELS; c++) {
                if (pruned.contains(c)) {
                    assertTrue(copy.bias()[c] == 0f, "conv_3 bias of pruned channel " + c + " is " + copy.bias()[c]);
                } else {
                    assertEquals(layer.bias()[c], copy.bias()[c], 0f, "conv_3 bias of kept channel " + c);
                }
            }
        }
    }

    // ---- f. repair evaluation ----

    @Test
    void repair_evaluation_on_the_test_files_agrees_with_a_direct_computation() throws IOException {
        List<Selection> selections = labCurve.select(PruningConfig.DEFAULT_DROPS, SelectionRule.FIRST_OVER);
        RepairReport report = RepairEvaluation.evaluate(torch, "conv_3", selections, cleanTest, poisonedTest, 256);
        assertEquals(new Accuracy(56, 56), report.original().clean(), "BadNet clean accuracy");
        assertEquals(new Accuracy(71, 71), report.original().attack(), "BadNet attack success rate");
        assertEquals(100.0, report.original().clean().percent());
        assertEquals(100.0, report.original().attack().percent());
        assertEquals(selections.size(), report.rows().size());
        for (int i = 0; i < selections.size(); i++) {
            RepairReport.Row row = report.rows().get(i);
            assertTrue(row.selection() == selections.get(i), "rows follow the selections");
            System.out.printf(Locale.ROOT, "[pruning] drop %.0f (%d pruned): B' clean %s attack %s; G clean %s"
                    + " attack %s; flagged poisoned %s clean %s%n", row.selection().drop(), row.selection().pruned(),
                    row.repaired().clean(), row.repaired().attack(), row.goodNet().clean(), row.goodNet().attack(),
                    row.poisonedFlagged(), row.cleanFlagged());
            assertTrue(row.goodNet().attack().percent() + row.poisonedFlagged().percent() <= 100 + 1e-9,
                    "G's attack success plus flagged poisoned images");
            assertTrue(row.goodNet().attack().hits() + row.poisonedFlagged().hits() <= 71);
            assertTrue(row.goodNet().clean().hits() + row.cleanFlagged().hits() <= 56);
            assertTrue(row.goodNet().clean().percent() <= report.original().clean().percent(), "G clean <= B clean");
            assertTrue(row.goodNet().clean().hits() <= row.repaired().clean().hits(), "G clean <= B' clean");
            assertTrue(row.goodNet().attack().hits() <= row.repaired().attack().hits(), "G attack <= B' attack");
            assertEquals(56, row.goodNet().clean().total());
            assertEquals(71, row.poisonedFlagged().total());

            try (BadNet pruned = torch.pruned("conv_3", row.selection().channels())) {
                GoodNet good = new GoodNet(torch, pruned);
                String what = "row for drop " + row.selection().drop();
                assertEquals(Evaluation.accuracy(pruned, cleanTest, 256), row.repaired().clean(), what);
                assertEquals(Evaluation.accuracy(pruned, poisonedTest, 256), row.repaired().attack(), what);
                assertEquals(Evaluation.accuracy(good, cleanTest, 256), row.goodNet().clean(), what);
                assertEquals(Evaluation.accuracy(good, poisonedTest, 256), row.goodNet().attack(), what);
                assertEquals(Accuracy.ofClass(classify(good, poisonedTest), DeepId.CLASSES), row.poisonedFlagged(), what);
                assertEquals(Accuracy.ofClass(classify(good, cleanTest), DeepId.CLASSES), row.cleanFlagged(), what);
            }
        }
        // the largest threshold repairs the most: the 30-point model removes the backdoor for most inputs
        RepairReport.Row last = report.rows().get(report.rows().size() - 1);
        assertTrue(last.repaired().attack().hits() < 71, "30-point B' is no longer fooled by every poisoned image");
    }

    // ---- g. bad input ----

    @Test
    void unlabelled_validation_images_are_rejected_naming_the_file() {
        Path file = SharedCsaw.file("data/cl/valid.h5");
        LabDataset unlabelled = LabDataset.openUnlabelled(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeanActivationPruning(PruningConfig.lab()).sweep(torch, unlabelled, StepListener.NONE));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("labels"), e.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> RepairEvaluation.evaluate(torch, "conv_3", List.of(), cleanTest, unlabelled, 256));
        assertTrue(r.getMessage().contains(file.toString()), r.getMessage());
    }

    @Test
    void pruning_a_layer_that_is_not_a_convolution_is_rejected_listing_the_conv_layers() {
        for (String layer : List.of("fc_1", "conv_9", "pool_3")) {
            List<Runnable> attempts = List.of(
                    () -> PruningConfig.lab().layer(layer).resolve(torch.architecture()),
                    () -> torch.pruned(layer, new int[] {0}),
                    () -> {
                        try {
                            RepairEvaluation.evaluate(torch, layer, List.of(), cleanTest, poisonedTest, 256);
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    });
            for (Runnable attempt : attempts) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, attempt::run);
                assertTrue(e.getMessage().contains("'" + layer + "'"), e.getMessage());
                assertTrue(e.getMessage().contains("[conv_1, conv_2, conv_3, conv_4]"), e.getMessage());
            }
        }
    }

    @Test
    void pruning_a_channel_out_of_range_is_rejected() throws IOException {
        for (int[] channels : List.of(new int[] {60}, new int[] {-1}, new int[] {3, 60})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> torch.pruned("conv_3", channels));
            int bad = Arrays.stream(channels).filter(c -> c < 0 || c >= 60).findFirst().orElseThrow();
            assertEquals("channel " + bad + " of 'conv_3' is outside [0, 60)", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> torch.pruned("conv_1", new int[] {20}));
        assertTrue(e.getMessage().contains("outside [0, 20)"), e.getMessage());
        try (PruningCache cache = PruningCache.build(torch, "conv_3", cleanTest, 256, List.of())) {
            IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                    () -> cache.classify(new int[] {60}));
            assertEquals("channel 60 of 'conv_3' is outside [0, 60)", c.getMessage());
        }
        // the unpruned net is still usable and unchanged after the failures
        assertNotNull(torch.classify(batchOf(cleanTest)));
    }

    // ---- helpers ----

    private static void assertSameSelections(List<Selection> expected, List<Selection> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Selection e = expected.get(i);
            Selection a = actual.get(i);
            assertEquals(e.drop(), a.drop());
            assertEquals(e.rule(), a.rule());
            assertEquals(e.reached(), a.reached());
            assertEquals(e.pruned(), a.pruned(), "pruned for " + e.drop() + " (" + e.rule() + ")");
            assertEquals(e.validAccuracy(), a.validAccuracy());
            assertArrayEquals(e.channels(), a.channels());
        }
    }

    private static int[] classify(Classifier net, ImageSource images) throws IOException {
        int[] classes = new int[images.size()];
        int[] seen = {0};
        images.forEachBatch(256, batch -> {
            System.arraycopy(net.classify(batch), 0, classes, seen[0], batch.size());
            seen[0] += batch.size();
        });
        return classes;
    }

    private static ImageBatch batchOf(ImageSource images) throws IOException {
        ImageBatch[] first = new ImageBatch[1];
        images.forEachBatch(images.size(), batch -> first[0] = batch);
        return first[0];
    }

    /**
     * The pruning sweep computed here in plain Java, double precision, from pool_3 of each validation
     * image and the Keras-layout weights of the layers after it.
     */
    private static final class Reference {
        final double[][] pool3; // [image][c * 20 + h * 4 + w], NCHW per image as the engine gives it
        final int[] labels;
        final double[] means = new double[CHANNELS];
        final int[] order;
        /** classes[k][n]: the class of image n with the first k channels of {@link #order} pruned. */
        final int[][] classes = new int[CHANNELS + 1][];
        /** margins[k][n]: the gap between image n's two largest logits at step k. */
        final double[][] margins = new double[CHANNELS + 1][];
        final float[] k4;
        final float[] b4;
        final float[] w1;
        final float[] b1;
        final float[] w2;
        final float[] b2;
        final float[] wo;
        final float[] bo;

        private Reference(double[][] pool3, int[] labels, KerasWeights weights) {
            this.pool3 = pool3;
            this.labels = labels;
            k4 = weights.layer("conv_4").kernel();
            b4 = weights.layer("conv_4").bias();
            w1 = weights.layer("fc_1").kernel();
            b1 = weights.layer("fc_1").bias();
            w2 = weights.layer("fc_2").kernel();
            b2 = weights.layer("fc_2").bias();
            wo = weights.layer("output").kernel();
            bo = weights.layer("output").bias();
            assertEquals(2 * 2 * CHANNELS * C4, k4.length);
            assertEquals(H * W * CHANNELS * UNITS, w1.length);
            assertEquals(H4 * W4 * C4 * UNITS, w2.length);
            assertEquals(UNITS * DeepId.CLASSES, wo.length);

            int positions = H * W;
            for (double[] image : pool3) {
                for (int c = 0; c < CHANNELS; c++) {
                    for (int p = 0; p < positions; p++) {
                        means[c] += image[c * positions + p];
                    }
                }
            }
            for (int c = 0; c < CHANNELS; c++) {
                means[c] /= (double) pool3.length * positions;
            }
            // ascending mean, ties by channel index: a stable insertion sort over index order
            Integer[] byMean = new Integer[CHANNELS];
            for (int c = 0; c < CHANNELS; c++) {
                byMean[c] = c;
            }
            for (int i = 1; i < CHANNELS; i++) {
                for (int j = i; j > 0 && means[byMean[j]] < means[byMean[j - 1]]; j--) {
                    Integer t = byMean[j];
                    byMean[j] = byMean[j - 1];
                    byMean[j - 1] = t;
                }
            }
            order = Arrays.stream(byMean).mapToInt(Integer::intValue).toArray();

            boolean[] pruned = new boolean[CHANNELS];
            for (int k = 0; k <= CHANNELS; k++) {
                if (k > 0) {
                    pruned[order[k - 1]] = true;
                }
                classes[k] = new int[pool3.length];
                margins[k] = new double[pool3.length];
                for (int n = 0; n < pool3.length; n++) {
                    double[] logits = head(n, pruned);
                    int best = 0;
                    for (int j = 1; j < logits.length; j++) {
                        if (logits[j] > logits[best]) {
                            best = j;
                        }
                    }
                    double second = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < logits.length; j++) {
                        if (j != best) {
                            second = Math.max(second, logits[j]);
                        }
                    }
                    classes[k][n] = best;
                    margins[k][n] = logits[best] - second;
                }
            }
        }

        static Reference compute(BadNet net, ImageSource valid) throws IOException {
            List<double[]> images = new ArrayList<>();
            int[] labels = new int[valid.size()];
            valid.forEachBatch(256, batch -> {
                float[] out = net.outputs(batch, Set.of("pool_3")).get("pool_3");
                int per = CHANNELS * H * W;
                assertEquals(batch.size() * per, out.length);
                for (int i = 0; i < batch.size(); i++) {
                    double[] image = new double[per];
                    for (int v = 0; v < per; v++) {
                        image[v] = out[i * per + v];
                    }
                    labels[images.size()] = batch.labels()[i];
                    images.add(image);
                }
            });
            KerasWeights weights = KerasWeights.read(SharedCsaw.file("models/bd_weights.h5"), DeepId.WEIGHTED_LAYERS);
            return new Reference(images.toArray(double[][]::new), labels, weights);
        }

        /** The logits of image {@code n} with the {@code pruned} pool_3 channels set to zero. */
        double[] head(int n, boolean[] pruned) {
            // pool_3 in Keras' channels-last layout (h, w, c), pruned channels zero
            double[] p = new double[H * W * CHANNELS];
            for (int c = 0; c < CHANNELS; c++) {
                if (pruned[c]) {
                    continue;
                }
                for (int h = 0; h < H; h++) {
                    for (int w = 0; w < W; w++) {
                        p[(h * W + w) * CHANNELS + c] = pool3[n][(c * H + h) * W + w];
                    }
                }
            }
            // conv_4: valid 2x2 convolution, kernel (kh, kw, in, out), ReLU; output (4, 3, 80) channels-last
            double[] c4 = new double[H4 * W4 * C4];
            for (int h = 0; h < H4; h++) {
                for (int w = 0; w < W4; w++) {
                    double[] acc = new double[C4];
                    for (int o = 0; o < C4; o++) {
                        acc[o] = b4[o];
                    }
                    for (int y = 0; y < 2; y++) {
                        for (int x = 0; x < 2; x++) {
                            for (int i = 0; i < CHANNELS; i++) {
                                double v = p[((h + y) * W + (w + x)) * CHANNELS + i];
                                if (v == 0) {
                                    continue;
                                }
                                int base = ((y * 2 + x) * CHANNELS + i) * C4;
                                for (int o = 0; o < C4; o++) {
                                    acc[o] += v * k4[base + o];
                                }
                            }
                        }
                    }
                    for (int o = 0; o < C4; o++) {
                        c4[(h * W4 + w) * C4 + o] = Math.max(0, acc[o]);
                    }
                }
            }
            // fc_1 on Flatten(pool_3) and fc_2 on Flatten(conv_4), both in Keras' (h, w, c) order
            double[] hidden = new double[UNITS];
            for (int u = 0; u < UNITS; u++) {
                hidden[u] = (double) b1[u] + b2[u];
            }
            for (int r = 0; r < p.length; r++) {
                if (p[r] != 0) {
                    for (int u = 0; u < UNITS; u++) {
                        hidden[u] += p[r] * w1[r * UNITS + u];
                    }
                }
            }
            for (int r = 0; r < c4.length; r++) {
                if (c4[r] != 0) {
                    for (int u = 0; u < UNITS; u++) {
                        hidden[u] += c4[r] * w2[r * UNITS + u];
                    }
                }
            }
            double[] logits = new double[DeepId.CLASSES];
            for (int j = 0; j < DeepId.CLASSES; j++) {
                logits[j] = bo[j];
            }
            for (int u = 0; u < UNITS; u++) {
                double a = Math.max(0, hidden[u]); // add_1, then ReLU
                if (a != 0) {
                    for (int j = 0; j < DeepId.CLASSES; j++) {
                        logits[j] += a * wo[u * DeepId.CLASSES + j];
                    }
                }
            }
            return logits;
        }

        double accuracy(int k) {
            int hits = 0;
            for (int n = 0; n < labels.length; n++) {
                hits += classes[k][n] == labels[n] ? 1 : 0;
            }
            return 100.0 * hits / labels.length;
        }

        int ambiguous(int k) {
            return (int) Arrays.stream(margins[k]).filter(m -> m < TIE_MARGIN).count();
        }

        double smallestMargin() {
            return Arrays.stream(margins).flatMapToDouble(Arrays::stream).min().orElseThrow();
        }
    }
}
