package org.fineprune.defenses.finetuning;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.fineprune.core.BadNet;
import org.fineprune.core.GoodNet;
import org.fineprune.core.StepListener;
import org.fineprune.core.TrainingConfig;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.Range;
import org.fineprune.defenses.api.Settings;

/**
 * The fine-tuning defense of Fine-Pruning (Liu, Dolan-Gavitt and Garg, RAID 2018) behind the {@link
 * Defense} interface: {@link FineTuning} on the clean data, the tuned model as B' and its GoodNet as
 * the detector. The defaults are {@link FineTuning#DEFAULTS}; the seed orders the mini-batches.
 *
 * <p>BackdoorBench's fine-tuning baseline is {@code epochs=100, optimizer=sgd, learning-rate=0.01,
 * weight-decay=0.0005, schedule=cosine} (SGD with momentum 0.9, the rate annealed once per epoch).
 */
public final class FineTuningDefense implements Defense {
    /** The parameters of fine-tuning, shared with the defenses that fine-tune after pruning. */
    public static final List<Parameter> PARAMETERS = List.of(
            Parameter.integer("epochs", FineTuning.DEFAULT_EPOCHS, Range.atLeast(1), "fine-tuning epochs"),
            Parameter.number("learning-rate", FineTuning.DEFAULT_LEARNING_RATE, Range.above(0),
                    "fine-tuning learning rate"),
            Parameter.choice("optimizer", FineTuning.DEFAULTS.optimizer(), TrainingConfig.OPTIMIZERS,
                    "fine-tuning optimiser; sgd uses momentum 0.9"),
            Parameter.integer("batch-size", FineTuning.DEFAULT_BATCH_SIZE, Range.atLeast(1),
                    "fine-tuning batch size"),
            Parameter.choice("schedule", FineTuning.DEFAULTS.schedule(), TrainingConfig.SCHEDULES,
                    "learning rate constant, or on a cosine curve over the epochs"),
            Parameter.number("weight-decay", FineTuning.DEFAULTS.weightDecay(), Range.atLeast(0),
                    "L2 weight decay added to the fine-tuning gradients"));

    @Override
    public String name() {
        return "fine-tuning";
    }

    @Override
    public String description() {
        return "Trains the BadNet further on the clean data.";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        settings.requireFor(this);
        BadNet tuned = tuning(settings, seed).tune(net, data.clean(), StepListener.NONE);
        return new DefenseResult(tuned, new GoodNet(net, tuned), Map.of());
    }

    /** Fine-tuning with the settings of {@link #PARAMETERS}, its mini-batches shuffled with {@code seed}. */
    public static FineTuning tuning(Settings settings, long seed) {
        return new FineTuning(FineTuning.DEFAULTS.withEpochs(settings.integer("epochs"))
                .withLearningRate(settings.number("learning-rate"))
                .withOptimizer(settings.text("optimizer"))
                .withBatchSize(settings.integer("batch-size"))
                .withSchedule(settings.text("schedule"))
                .withWeightDecay(settings.number("weight-decay"))
                .withSeed(seed));
    }
}
