package org.fineprune.defenses.strip;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageSource;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.Range;
import org.fineprune.defenses.api.Settings;

/**
 * STRIP, STRong Intentional Perturbation (Gao, Xu, Wang, Chen, Ranasinghe and Nepal, "STRIP: A
 * Defence Against Trojan Attacks on Deep Neural Networks", ACSAC 2019): an input carrying a trigger
 * keeps the BadNet's answer when clean images are superimposed on it, so the predictions for its
 * superimpositions have a low entropy, while a clean input's predictions scatter. The detector
 * superimposes each input with n clean images, averages the entropy of the n predictions and flags
 * the input when it is below a threshold. The defaults are the reference code's: n = 64, blend 0.5,
 * a 5% false-rejection rate.
 *
 * <p>The threshold gives the chosen false-rejection rate on the defender's clean images: each is
 * superimposed with n OTHER clean images and the threshold is the entropy that the chosen share of
 * them falls below. The overlay images are n + 1 clean images drawn with the seed: an input is
 * superimposed with the first n, and the clean image that is one of them with the last instead of
 * itself. Only the clean images are used; no repaired model is made. Where the defender holds
 * selection images apart from its clean images ({@link DefenderData#heldOut}), the overlays are
 * drawn from the clean images and the threshold is calibrated on the selection images, each
 * superimposed with the first n overlays.
 */
public final class Strip implements Defense {
    private static final List<Parameter> PARAMETERS = List.of(
            Parameter.integer("overlays", 64, Range.atLeast(1), "clean images superimposed on each input (n)"),
            Parameter.number("blend", 0.5, Range.open(0, 1),
                    "weight of the clean image in a superimposition; the input keeps 1 - blend"),
            Parameter.number("false-rejection-rate", 0.05, Range.open(0, 1),
                    "share of the clean images flagged, which sets the entropy threshold"));

    @Override
    public String name() {
        return "strip";
    }

    @Override
    public String description() {
        return "Flags inputs whose predictions stay certain when clean images are superimposed (an input detector).";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if there are fewer than {@code overlays + 1} clean images
     */
    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        settings.requireFor(this);
        int n = settings.integer("overlays");
        ImageSource clean = data.clean();
        if (clean.size() < n + 1) {
            throw new IllegalArgumentException("defense 'strip': " + n + " overlays need at least " + (n + 1)
                    + " clean images, " + clean.name() + " has " + clean.size());
        }
        int[] drawn = draw(clean.size(), n + 1, seed);
        float[] overlays = images(clean, drawn);
        double blend = settings.number("blend");
        StripDetector calibrating = new StripDetector(net, overlays, n, blend, 0);
        double[] entropies = data.heldOut()
                ? calibrationEntropies(calibrating, data.selection(), new int[0], n)
                : calibrationEntropies(calibrating, clean, drawn, n);
        double threshold = threshold(entropies, settings.number("false-rejection-rate"));
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        diagnostics.put("entropyThreshold", threshold);
        diagnostics.put("validImages", entropies.length);
        diagnostics.put("validFlagged", Arrays.stream(entropies).filter(e -> e < threshold).count());
        diagnostics.put("overlayImages", Arrays.stream(drawn).boxed().toList());
        return new DefenseResult(null, new StripDetector(net, overlays, n, blend, threshold), diagnostics);
    }

    /**
     * The entropy below which the share {@code falseRejectionRate} of {@code entropies} lies: the
     * k-th smallest, k = floor(rate x count), so that exactly k lie below it when no two are equal.
     */
    static double threshold(double[] entropies, double falseRejectionRate) {
        double[] sorted = entropies.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.floor(falseRejectionRate * sorted.length)];
    }

    /** {@code k} distinct indices below {@code size}, drawn with {@code seed} (a partial Fisher-Yates shuffle). */
    static int[] draw(int size, int k, long seed) {
        int[] all = new int[size];
        Arrays.setAll(all, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(size - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        return Arrays.copyOf(all, k);
    }

    /** The images of {@code source} at {@code indices}, in that order, one after the other. */
    private static float[] images(ImageSource source, int[] indices) throws IOException {
        Map<Integer, Integer> slotOf = new LinkedHashMap<>();
        for (int slot = 0; slot < indices.length; slot++) {
            slotOf.put(indices[slot], slot);
        }
        float[][] images = new float[indices.length][];
        int[] next = {0};
        source.forEachBatch(Evaluation.DEFAULT_BATCH, batch -> {
            int values = batch.imageValues();
            for (int i = 0; i < batch.size(); i++) {
                Integer slot = slotOf.get(next[0] + i);
                if (slot != null) {
                    images[slot] = Arrays.copyOfRange(batch.pixels(), i * values, (i + 1) * values);
                }
            }
            next[0] += batch.size();
        });
        int values = images[0].length;
        float[] all = new float[indices.length * values];
        for (int slot = 0; slot < indices.length; slot++) {
            System.arraycopy(images[slot], 0, all, slot * values, values);
        }
        return all;
    }

    /**
     * The mean entropy of each clean image superimposed with the first {@code n} overlays, or, for
     * an overlay image itself (the first {@code n} of {@code drawn}, positions in {@code clean}; none
     * when {@code drawn} is empty), with the others and the last overlay in its place.
     */
    private static double[] calibrationEntropies(StripDetector detector, ImageSource clean, int[] drawn, int n)
            throws IOException {
        Map<Integer, Integer> slotOf = new LinkedHashMap<>();
        for (int slot = 0; slot < Math.min(n, drawn.length); slot++) {
            slotOf.put(drawn[slot], slot);
        }
        int[] first = new int[n];
        Arrays.setAll(first, k -> k);
        double[] entropies = new double[clean.size()];
        int[] next = {0};
        clean.forEachBatch(Evaluation.DEFAULT_BATCH, batch -> {
            int offset = next[0];
            double[] batchEntropies = detector.entropies(batch, i -> {
                Integer own = slotOf.get(offset + i);
                if (own == null) {
                    return first;
                }
                int[] others = first.clone();
                others[own] = n;
                return others;
            });
            System.arraycopy(batchEntropies, 0, entropies, offset, batch.size());
            next[0] += batch.size();
        });
        return entropies;
    }
}
