package org.fineprune.examples.randompruning;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fineprune.core.Architecture;
import org.fineprune.core.BadNet;
import org.fineprune.core.Evaluation;
import org.fineprune.core.GoodNet;
import org.fineprune.core.LayerChannel;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.Settings;
import org.fineprune.defenses.pruning.PruningCurve;
import org.fineprune.defenses.pruning.PruningDefense;

/**
 * Random channel pruning: prune as many channels of a convolution as mean-activation pruning would
 * for the same settings, but chosen at random with the seed. It is the baseline that shows whether
 * ranking by mean activation matters, the comparison Fine-Pruning (Liu, Dolan-Gavitt and Garg,
 * RAID 2018) makes to argue that backdoor neurons are the dormant ones.
 *
 * <p>An example of a third-party defense: it lives in a module of its own and is found only
 * through its line in {@code META-INF/services/org.fineprune.defenses.api.Defense}.
 */
public final class RandomPruning implements Defense {
    @Override
    public String name() {
        return "random-pruning";
    }

    @Override
    public String description() {
        return "Prunes as many channels as pruning would, chosen at random with the seed (a baseline).";
    }

    @Override
    public List<Parameter> parameters() {
        return PruningDefense.PARAMETERS;
    }

    @Override
    public void check(Architecture architecture, Settings settings) {
        settings.requireFor(this);
        PruningDefense.layer(this, architecture, settings);
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        settings.requireFor(this);
        PruningCurve curve = PruningDefense.sweep(this, net, data, settings);
        PruningDefense.PrunedLayer ranked = PruningDefense.PrunedLayer.of(curve, settings);
        String layer = curve.layer();
        int[] order = randomChannels(curve.order().length, seed);
        int[] channels = Arrays.copyOf(order, ranked.selection().pruned());
        BadNet repaired = net.pruned(layer, channels);
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        diagnostics.put("layer", layer);
        diagnostics.put("prunedChannels", PruningDefense.channelLists(Map.of(layer, channels)));
        diagnostics.put("validAccuracy",
                Evaluation.accuracy(repaired, data.selection(), settings.integer("pruning-batch-size")).percent());
        diagnostics.put("meanActivationChannels",
                PruningDefense.channelLists(Map.of(layer, ranked.selection().channels())));
        diagnostics.put("meanActivationValidAccuracy", ranked.selection().validAccuracy());
        List<LayerChannel> pruningOrder = Arrays.stream(order).mapToObj(c -> new LayerChannel(layer, c)).toList();
        return new DefenseResult(repaired, new GoodNet(net, repaired), diagnostics, pruningOrder);
    }

    /**
     * Every one of {@code channels} channels in a random order drawn with {@code seed} (a Fisher-Yates
     * shuffle); its first {@code k} are the {@code k} channels random pruning prunes, whatever {@code k}.
     */
    static int[] randomChannels(int channels, long seed) {
        int[] all = new int[channels];
        Arrays.setAll(all, c -> c);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < channels; i++) {
            int j = i + random.nextInt(channels - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        return all;
    }
}
