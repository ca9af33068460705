package org.fineprune.defenses.neuralcleanse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fineprune.core.ArrayImages;
import org.fineprune.core.BadNet;
import org.fineprune.core.GoodNet;
import org.fineprune.core.ImageShape;
import org.fineprune.core.StepListener;
import org.fineprune.core.Training;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.Range;
import org.fineprune.defenses.api.Settings;
import org.fineprune.defenses.finetuning.FineTuningDefense;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Neural Cleanse (Wang, Yao, Shan, Li, Viswanath, Zheng and Zhao, "Neural Cleanse: Identifying and
 * Mitigating Backdoor Attacks in Neural Networks", IEEE S&amp;P 2019), after its reference code
 * bolunwang/backdoor: for each candidate target class a {@link TriggerSearch} finds the smallest
 * mask and pattern that send the clean images there; the {@link AnomalyIndex} of the masks' L1
 * norms flags the classes whose trigger is abnormally small; the repair ("unlearning") fine-tunes
 * the BadNet on the clean images with the reversed trigger of a flagged class stamped on a fifth
 * of them, their true labels kept. With no class flagged it fine-tunes on the clean images alone.
 * The detector is the {@link GoodNet} of the BadNet and its repaired copy.
 *
 * <p>Candidates: every class, or for a net of more than {@value #MAX_ALL_CLASSES} classes (DeepID's
 * 1283) the {@code top-k} classes of the {@link CandidateScreen} (one forward pass over the clean
 * images stamped with noise; its time is in the diagnostics as {@code screenSeconds}). The anomaly
 * index is then taken over the candidates only.
 *
 * <p>The search runs on the defender's clean images only (a seeded sample of {@code search-images}
 * of them) and its defaults are the reference's, except for the epochs: the reference runs 1000
 * passes of 1000 images per class, far beyond two CPU cores for a thousand classes; the default
 * here is {@value #DEFAULT_SEARCH_EPOCHS}.
 *
 * <p>Diagnostics: {@code candidateClasses}, and in the same order {@code maskNorms}, {@code
 * anomalyIndex} and {@code triggerAttackSuccess}; {@code flaggedClasses}; {@code stampedImages};
 * the times; and the trigger of the class with the smallest mask ({@code triggerClass}, {@code
 * triggerShape} [C, H, W], {@code triggerMask} rounded to 1/1000 and {@code triggerPattern} to
 * whole pixel values), which {@link TriggerPng#write} draws.
 */
public final class NeuralCleanse implements Defense {
    /** Nets with more classes are searched on screened candidates by default. */
    public static final int MAX_ALL_CLASSES = 50;
    /** The default passes over the search images per class. */
    public static final int DEFAULT_SEARCH_EPOCHS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(NeuralCleanse.class);

    private static final List<Parameter> PARAMETERS;

    static {
        List<Parameter> parameters = new ArrayList<>(List.of(
                Parameter.choice("classes", "auto", List.of("auto", "all", "top-k"),
                        "candidate classes: all, the top-k of the noise-patch screen, or auto (all up to "
                                + MAX_ALL_CLASSES + " classes)"),
                Parameter.integer("top-k", 10, Range.atLeast(1), "candidate classes the screen keeps"),
                Parameter.integer("search-images", 1000, Range.atLeast(1),
                        "clean images the trigger search runs on (reference 1000)"),
                Parameter.integer("search-epochs", DEFAULT_SEARCH_EPOCHS, Range.atLeast(1),
                        "passes over the search images per class (reference 1000)"),
                Parameter.integer("search-batch-size", 32, Range.atLeast(1), "trigger search batch size (reference 32)"),
                Parameter.number("search-learning-rate", 0.1, Range.above(0),
                        "Adam learning rate of the trigger search (reference 0.1)"),
                Parameter.number("init-cost", 1e-3, Range.above(0), "weight of the mask norm once attacks succeed"),
                Parameter.integer("patience", 5, Range.atLeast(1), "epochs before the cost is raised or lowered"),
                Parameter.number("attack-success", 0.99, Range.openClosed(0, 1),
                        "share of stamped images reaching the target for a mask to count"),
                Parameter.number("anomaly-threshold", 2, Range.above(0),
                        "anomaly index above which a small mask flags its class"),
                Parameter.number("stamped-fraction", 0.2, Range.openClosed(0, 1),
                        "share of the clean images stamped with the reversed trigger for unlearning")));
        parameters.addAll(FineTuningDefense.PARAMETERS);
        PARAMETERS = List.copyOf(parameters);
    }

    @Override
    public String name() {
        return "neural-cleanse";
    }

    @Override
    public String description() {
        return "Reverse-engineers a trigger per class, flags classes with abnormally small triggers, unlearns them.";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        settings.requireFor(this);
        ImageShape shape = net.architecture().input();
        ArrayImages clean = ArrayImages.copyOf(data.clean(), shape);
        long began = System.nanoTime();
        List<Integer> candidates = candidates(net, clean, settings, seed);
        double screenSeconds = (System.nanoTime() - began) / 1e9;

        float[] searchImages = sample(clean, settings.integer("search-images"), seed);
        TriggerSearch search = new TriggerSearch(new SearchConfig(settings.integer("search-epochs"),
                settings.integer("search-batch-size"), settings.number("search-learning-rate"),
                settings.number("init-cost"), settings.integer("patience"), settings.number("attack-success")));
        began = System.nanoTime();
        List<ReversedTrigger> triggers = new ArrayList<>();
        for (int target : candidates) {
            ReversedTrigger trigger = search.search(net, searchImages, target, seed * 1_000_003L + target);
            LOG.info("class {}: mask norm {}, attack success {}, {} epochs", target, trigger.norm(),
                    trigger.attackSuccess(), trigger.epochs());
            triggers.add(trigger);
        }
        double searchSeconds = (System.nanoTime() - began) / 1e9;

        double[] norms = triggers.stream().mapToDouble(ReversedTrigger::norm).toArray();
        List<ReversedTrigger> flagged = AnomalyIndex.flagged(norms, settings.number("anomaly-threshold")).stream()
                .map(triggers::get).toList();
        began = System.nanoTime();
        ArrayImages unlearning = stamped(clean, flagged, settings.number("stamped-fraction"), seed);
        BadNet repaired = FineTuningDefense.tuning(settings, seed).tune(net, unlearning, StepListener.NONE);
        double repairSeconds = (System.nanoTime() - began) / 1e9;

        ReversedTrigger smallest = triggers.stream().min(Comparator.comparingDouble(ReversedTrigger::norm))
                .orElseThrow();
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        diagnostics.put("candidateClasses", candidates);
        diagnostics.put("maskNorms", triggers.stream().map(ReversedTrigger::norm).toList());
        diagnostics.put("anomalyIndex", Arrays.stream(AnomalyIndex.of(norms)).boxed().toList());
        diagnostics.put("triggerAttackSuccess", triggers.stream().map(ReversedTrigger::attackSuccess).toList());
        diagnostics.put("flaggedClasses", flagged.stream().map(ReversedTrigger::target).toList());
        diagnostics.put("stampedImages", flagged.isEmpty() ? 0 : stampedCount(clean, settings));
        diagnostics.put("screenSeconds", screenSeconds);
        diagnostics.put("searchSeconds", searchSeconds);
        diagnostics.put("repairSeconds", repairSeconds);
        diagnostics.putAll(TriggerPng.diagnostics(smallest));
        return new DefenseResult(repaired, new GoodNet(net, repaired), diagnostics);
    }

    /** The candidate target classes, ascending. */
    static List<Integer> candidates(BadNet net, ArrayImages clean, Settings settings, long seed) {
        int classes = net.architecture().classes();
        boolean all = switch (settings.text("classes")) {
            case "all" -> true;
            case "top-k" -> false;
            default -> classes <= MAX_ALL_CLASSES;
        };
        return all ? IntStream.range(0, classes).boxed().toList()
                : CandidateScreen.top(net, clean, settings.integer("top-k"), seed);
    }

    /** {@code count} clean images (all if there are fewer) drawn with {@code seed}, in drawing order. */
    private static float[] sample(ArrayImages clean, int count, long seed) {
        int n = clean.size();
        int k = Math.min(count, n);
        int size = clean.shape().size();
        int[] order = Training.permutation(n, new SplittableRandom(seed), k);
        float[] images = new float[k * size];
        for (int i = 0; i < k; i++) {
            System.arraycopy(clean.pixels(), order[i] * size, images, i * size, size);
        }
        return images;
    }

    private static int stampedCount(ArrayImages clean, Settings settings) {
        return (int) Math.round(settings.number("stamped-fraction") * clean.size());
    }

    /**
     * The clean images with the flagged triggers, in turn, stamped on a seeded {@code fraction} of
     * them, labels unchanged; the clean images themselves when nothing is flagged.
     */
    static ArrayImages stamped(ArrayImages clean, List<ReversedTrigger> triggers, double fraction, long seed) {
        if (triggers.isEmpty()) {
            return clean;
        }
        int n = clean.size();
        int count = (int) Math.round(fraction * n);
        int[] order = Training.permutation(n, new SplittableRandom(seed + 1), count);
        float[] pixels = clean.pixels().clone();
        for (int i = 0; i < count; i++) {
            triggers.get(i % triggers.size()).stamp(pixels, order[i]);
        }
        return new ArrayImages(clean.name() + " (" + count + " stamped with reversed triggers)", clean.shape(), pixels,
                clean.labels());
    }
}
