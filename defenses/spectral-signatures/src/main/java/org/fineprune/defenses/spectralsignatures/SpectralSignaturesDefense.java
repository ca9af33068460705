package org.fineprune.defenses.spectralsignatures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fineprune.core.Architecture;
import org.fineprune.core.BadNet;
import org.fineprune.core.Representations;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.Range;
import org.fineprune.defenses.api.SampleFlags;
import org.fineprune.defenses.api.Settings;
import org.fineprune.defenses.api.TrainingSetRepresentations;

/**
 * Spectral Signatures (Tran, Li and Madry, "Spectral Signatures in Backdoor Attacks", NeurIPS 2018)
 * as a detector of poisoned training samples: for each label of the training set (each predicted
 * class where it is unlabelled), the {@link
 * SpectralSignature} of its samples' representations (by default the last hidden layer's output),
 * and the {@code removal-factor} x {@code poison-rate} share of its samples with the highest scores
 * flagged (1.5 x 0.1 by default, as the paper and BackdoorBench's 85th percentile). A sample's
 * suspicion score is its squared projection. The paper's last step, retraining without the flagged
 * samples, is left out: this defense only detects. It uses no randomness, so the seed is unused.
 */
public final class SpectralSignaturesDefense implements Defense {
    private static final List<Parameter> PARAMETERS;

    static {
        List<Parameter> parameters = new ArrayList<>(List.of(
                Parameter.number("poison-rate", 0.1, Range.openClosed(0, 1),
                        "expected share of poisoned samples in a class"),
                Parameter.number("removal-factor", 1.5, Range.above(0),
                        "flag this multiple of the expected share in each class")));
        parameters.addAll(TrainingSetRepresentations.PARAMETERS);
        PARAMETERS = List.copyOf(parameters);
    }

    @Override
    public String name() {
        return "spectral-signatures";
    }

    @Override
    public String description() {
        return "Flags the training samples of each class that lie furthest along its top singular vector.";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public boolean inspectsTrainingSet() {
        return true;
    }

    @Override
    public void check(Architecture architecture, Settings settings) {
        settings.requireFor(this);
        TrainingSetRepresentations.layer(this, architecture, settings);
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        settings.requireFor(this);
        Representations representations = TrainingSetRepresentations.of(this, net, data, settings);
        double share = settings.number("removal-factor") * settings.number("poison-rate");
        int n = representations.size();
        boolean[] flagged = new boolean[n];
        double[] scores = new double[n];
        Map<String, Object> classes = new TreeMap<>();
        int[] classOf = representations.labels() != null ? representations.labels() : representations.predicted();
        for (int c : Arrays.stream(classOf).distinct().sorted().toArray()) {
            int[] members = Representations.indicesOf(classOf, c);
            float[][] rows = new float[members.length][];
            for (int k = 0; k < members.length; k++) {
                rows[k] = representations.rows()[members[k]];
            }
            SpectralSignature signature = SpectralSignature.of(rows);
            int count = (int) Math.min(members.length, Math.floor(share * members.length));
            for (int k : SpectralSignature.highest(signature.scores(), count)) {
                flagged[members[k]] = true;
            }
            for (int k = 0; k < members.length; k++) {
                scores[members[k]] = signature.scores()[k];
            }
            classes.put(Integer.toString(c), new TreeMap<>(Map.of("samples", members.length, "flagged", count,
                    "topSingularValue", signature.singularValue())));
        }
        SampleFlags flags = new SampleFlags(flagged, scores);
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        diagnostics.put("layer", representations.layer());
        diagnostics.put("samples", n);
        diagnostics.put("flagged", flags.flaggedCount());
        diagnostics.put("classes", classes);
        return DefenseResult.ofSampleFlags(flags, diagnostics);
    }
}
