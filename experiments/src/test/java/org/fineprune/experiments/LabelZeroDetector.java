package org.fineprune.experiments;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.ImageSource;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.SampleFlags;
import org.fineprune.defenses.api.Settings;

/**
 * A training-set detector for the tests whose flags are known from the labels alone: it flags every
 * training sample labelled 0, the default attack's target (every poisoned sample, and the clean
 * samples of class 0), scoring them 1 and the others 0.
 */
public final class LabelZeroDetector implements Defense {
    @Override
    public String name() {
        return "label-zero";
    }

    @Override
    public String description() {
        return "Flags the training samples labelled 0 (a test detector).";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public boolean inspectsTrainingSet() {
        return true;
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        ImageSource training = data.trainingSet().orElseThrow();
        int[] labels = Evaluation.labels(training);
        boolean[] flagged = new boolean[labels.length];
        double[] scores = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            flagged[i] = labels[i] == 0;
            scores[i] = flagged[i] ? 1 : 0;
        }
        SampleFlags flags = new SampleFlags(flagged, scores);
        return DefenseResult.ofSampleFlags(flags, Map.of("flagged", flags.flaggedCount()));
    }
}
