package org.fineprune.defenses.activationclustering;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * Activation Clustering (Chen, Carvalho, Baracaldo, Ludwig, Edwards, Lee, Molloy and Srivastava,
 * "Detecting Backdoor Attacks on Deep Neural Networks by Activation Clustering", 2018) as a detector
 * of poisoned training samples: for each class the BadNet predicts, its training samples'
 * activations (by default the last hidden layer's), reduced to {@code dimensions} by PCA and
 * clustered into two by seeded k-means; the smaller cluster is flagged as poisoned when its share
 * of the class is below {@code size-threshold} (rule {@code size}), or, with rule {@code
 * silhouette}, when in addition the clustering's mean silhouette exceeds {@code
 * silhouette-threshold} (the two analyses of IBM's Adversarial Robustness Toolbox, whose defaults
 * these are). A sample's suspicion score is 1 less its cluster's share of its class.
 */
public final class ActivationClusteringDefense implements Defense {
    private static final List<Parameter> PARAMETERS;

    static {
        List<Parameter> parameters = new ArrayList<>(List.of(
                Parameter.integer("dimensions", 10, Range.atLeast(1), "PCA components the activations are reduced to"),
                Parameter.choice("rule", "size", List.of("size", "silhouette"),
                        "flag the smaller cluster by its size alone, or also by the clustering's silhouette"),
                Parameter.number("size-threshold", 0.35, Range.open(0, 1),
                        "flag the smaller cluster when its share of the class is below this"),
                Parameter.number("silhouette-threshold", 0.1, Range.open(-1, 1),
                        "rule silhouette: flag only when the mean silhouette exceeds this")));
        parameters.addAll(TrainingSetRepresentations.PARAMETERS);
        PARAMETERS = List.copyOf(parameters);
    }

    @Override
    public String name() {
        return "activation-clustering";
    }

    @Override
    public String description() {
        return "Flags the smaller of two k-means clusters of each class's activations in the training set.";
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
        int n = representations.size();
        boolean[] flagged = new boolean[n];
        double[] scores = new double[n];
        Map<String, Object> classes = new TreeMap<>();
        SplittableRandom seeds = new SplittableRandom(seed);
        int[] predicted = representations.predicted();
        for (int c : Arrays.stream(predicted).distinct().sorted().toArray()) {
            int[] members = Representations.indicesOf(predicted, c);
            long classSeed = seeds.nextLong();
            if (members.length < 2) {
                continue;
            }
            float[][] rows = new float[members.length][];
            for (int k = 0; k < members.length; k++) {
                rows[k] = representations.rows()[members[k]];
            }
            ClassClusters clusters = ClassClusters.of(rows, settings.integer("dimensions"), classSeed);
            boolean poisoned = clusters.smallerShare() < settings.number("size-threshold")
                    && (settings.text("rule").equals("size")
                            || clusters.silhouette() > settings.number("silhouette-threshold"));
            for (int k = 0; k < members.length; k++) {
                scores[members[k]] = 1 - clusters.shareOf(k);
                flagged[members[k]] = poisoned && clusters.cluster()[k] == clusters.smaller();
            }
            Map<String, Object> found = new TreeMap<>();
            found.put("sizes", List.of(clusters.sizes()[0], clusters.sizes()[1]));
            found.put("silhouette", clusters.silhouette());
            found.put("flagged", poisoned ? clusters.sizes()[clusters.smaller()] : 0);
            classes.put(Integer.toString(c), found);
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
