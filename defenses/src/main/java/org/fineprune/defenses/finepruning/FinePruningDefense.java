package org.fineprune.defenses.finepruning;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.fineprune.core.Architecture;
import org.fineprune.core.BadNet;
import org.fineprune.core.GoodNet;
import org.fineprune.core.StepListener;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.Settings;
import org.fineprune.defenses.finetuning.FineTuningDefense;
import org.fineprune.defenses.pruning.PruningCurve;
import org.fineprune.defenses.pruning.PruningDefense;
import org.fineprune.defenses.pruning.SharedDrops;

/**
 * Fine-pruning (Liu, Dolan-Gavitt and Garg, RAID 2018) behind the {@link Defense} interface:
 * {@link PruningDefense}'s pruning, then {@link FineTuningDefense}'s fine-tuning of the pruned
 * model with its pruned channels held at zero, as the paper runs it. One pruning
 * pass serves every threshold of {@link #applyAll}.
 */
public final class FinePruningDefense implements Defense {
    private static final List<Parameter> PARAMETERS =
            Stream.concat(PruningDefense.PARAMETERS.stream(), FineTuningDefense.PARAMETERS.stream()).toList();

    @Override
    public String name() {
        return "fine-pruning";
    }

    @Override
    public String description() {
        return "Prunes one convolution as pruning does, then fine-tunes with the pruned channels masked.";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public List<String> sharedParameters() {
        return SharedDrops.PARAMETERS;
    }

    @Override
    public void check(Architecture architecture, Settings settings) {
        settings.requireFor(this);
        PruningDefense.layer(this, architecture, settings);
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        return applyAll(net, data, List.of(settings), seed).get(0);
    }

    /**
     * One pruning pass for all of {@code settings}, which differ at most in their drop; each drop's
     * model fine-tuned on its own with {@code seed}.
     */
    @Override
    public List<DefenseResult> applyAll(BadNet net, DefenderData data, List<Settings> settings, long seed)
            throws IOException {
        SharedDrops.require(this, settings);
        if (settings.isEmpty()) {
            return List.of();
        }
        PruningCurve curve = PruningDefense.sweep(this, net, data, settings.get(0));
        return SharedDrops.each(settings, s -> {
            PruningDefense.PrunedLayer pruned = PruningDefense.PrunedLayer.of(curve, s);
            try (BadNet prunedNet = net.pruned(curve.layer(), pruned.selection().channels())) {
                BadNet tuned = FineTuningDefense.tuning(s, seed).tune(prunedNet, data.clean(), StepListener.NONE);
                return new DefenseResult(tuned, new GoodNet(net, tuned), pruned.diagnostics(), curve.steps());
            }
        });
    }
}
