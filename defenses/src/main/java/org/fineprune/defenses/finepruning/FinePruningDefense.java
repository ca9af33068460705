package org.fineprune.defenses.finepruning;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.fineprune.core.BadNet;
import org.fineprune.core.GoodNet;
import org.fineprune.core.StepListener;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.Settings;
import org.fineprune.defenses.finetuning.FineTuningDefense;
import org.fineprune.defenses.pruning.PruningDefense;

/**
 * Fine-pruning (Liu, Dolan-Gavitt and Garg, RAID 2018) behind the {@link Defense} interface:
 * {@link PruningDefense}'s pruning, then {@link FineTuningDefense}'s fine-tuning of the pruned
 * model with its pruned channels held at zero, as {@link FinePruning#compare} runs it.
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
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        settings.requireFor(this);
        PruningDefense.PrunedLayer pruned = PruningDefense.prune(net, data, settings);
        try (BadNet prunedNet = net.pruned(pruned.curve().layer(), pruned.selection().channels())) {
            BadNet tuned = FineTuningDefense.tuning(settings, seed).tune(prunedNet, data.clean(), StepListener.NONE);
            return new DefenseResult(tuned, new GoodNet(net, tuned), pruned.diagnostics());
        }
    }
}
