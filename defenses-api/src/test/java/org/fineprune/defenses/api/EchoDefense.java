package org.fineprune.defenses.api;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fineprune.core.BadNet;

/** A defense for the registry's tests, registered in this module's test resources only. */
public class EchoDefense implements Defense {
    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String description() {
        return "Flags nothing and reports its settings.";
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(
                Parameter.number("drop", 20, Range.open(0, 100), "accuracy drop in points"),
                Parameter.integer("epochs", 10, Range.atLeast(1), "passes over the clean data"),
                Parameter.choice("optimizer", "adam", List.of("adam", "sgd"), "the optimiser"),
                Parameter.text("layer", "", "the layer; empty for the network's own"),
                Parameter.texts("layers", List.of(), "layers; empty for all"),
                Parameter.numbers("fractions", List.of(), Range.openClosed(0, 1), "a share per layer"));
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) {
        settings.requireFor(this);
        Map<String, Object> diagnostics = new TreeMap<>(settings.values());
        diagnostics.put("seed", seed);
        return new DefenseResult(null, batch -> new int[batch.size()], diagnostics);
    }
}
