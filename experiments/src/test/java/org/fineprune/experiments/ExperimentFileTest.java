package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fineprune.core.FinepruneException;
import org.fineprune.attacks.BadNetTraining;
import org.fineprune.attacks.PoisonConfig;
import org.fineprune.core.BadNet;
import org.fineprune.core.TrainingConfig;
import org.fineprune.data.LabData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Experiment files in YAML and JSON mirror the DSL; mistakes name the file and the key. */
class ExperimentFileTest {
    @TempDir
    Path tmp;

    @Test
    void yaml_file_gives_the_same_plan_as_the_dsl() throws IOException {
        Path file = Files.writeString(tmp.resolve("lab3.yaml"), String.join("\n",
                "name: lab3-pruning",
                "model: {weights: models/bd.h5, scale: 255}",
                "data: {dir: data}",
                "defenses: [pruning]",
                "settings: {rule: last-under}",
                "sweep: {parameters: {drop: [2, 4], layer: [conv_3, conv_4]}, engines: [pytorch, MXNet], seeds: [1, 2, 3]}",
                "device: cpu",
                "out: runs/lab3", ""));
        ExperimentFile read = ExperimentFile.read(file);
        ExperimentPlan plan = read.plan();
        ExperimentPlan dsl = Experiment.named("lab3-pruning").model(BadNet.keras(tmp.resolve("models/bd.h5")).scale(255))
                .data(LabData.at(tmp.resolve("data"))).defense("pruning").with("rule", "last-under")
                .sweep(Sweep.over("drop", 2, 4).and("layer", "conv_3", "conv_4").engines("PyTorch", "MXNet")
                        .seeds(1, 2, 3))
                .device("cpu");
        assertEquals(dsl, plan);
        assertEquals(dsl.points(), plan.points());
        assertEquals(2 * 2 * 2 * 3, plan.points().size());
        assertEquals(tmp.resolve("runs/lab3"), read.out());
    }

    @Test
    void json_file_with_explicit_files_and_defaults() throws IOException {
        Path file = Files.writeString(tmp.resolve("e.json"), "{\"name\": \"x\", \"model\": {\"weights\": \"/m.h5\"},"
                + " \"data\": {\"valid\": \"v.h5\", \"test\": \"t.h5\", \"poisoned\": \"p.h5\"},"
                + " \"defenses\": [\"fine-tuning\", \"pruning\"]}");
        ExperimentPlan plan = ExperimentFile.read(file).plan();
        LabSubject subject = (LabSubject) plan.subject();
        assertEquals(Path.of("/m.h5"), subject.model().weights());
        assertEquals(tmp.resolve("t.h5"), subject.data().test());
        assertEquals(List.of("defense=fine-tuning,engine=PyTorch,seed=1", "defense=pruning,engine=PyTorch,seed=1"),
                plan.points().stream().map(Point::key).toList(), "each defense once with its defaults");
    }

    @Test
    void a_fashion_mnist_subject_instead_of_model_and_data() throws IOException {
        Path file = Files.writeString(tmp.resolve("f.yaml"), "name: f\nfashion-mnist: {data: fm, cache: c}\n"
                + "defenses: [fine-pruning]\nsettings: {drop: 4, epochs: 2}\nsweep: {seeds: [1, 2]}\n");
        ExperimentPlan plan = ExperimentFile.read(file).plan();
        assertEquals(FashionMnistSubject.of(tmp.resolve("fm"), tmp.resolve("c")), plan.subject());
        assertEquals(2, plan.points().size());
        assertEquals(4.0, plan.points().get(0).settings().number("drop"));
        assertEquals(2, plan.points().get(0).settings().integer("epochs"));
    }

    @Test
    void a_fashion_mnist_subject_names_its_badnet_recipe() throws IOException {
        Path file = Files.writeString(tmp.resolve("w.yaml"), "name: w\nfashion-mnist: {data: fm, cache: c, "
                + "network: wide-cnn, attack: blend, rate: 0.05, pruning-aware: true}\ndefenses: [pruning]\n");
        FashionMnistSubject subject = (FashionMnistSubject) ExperimentFile.read(file).plan().subject();
        assertEquals(FashionMnistSubject.of(tmp.resolve("fm"), tmp.resolve("c")).recipe("wide-cnn", "blend", 0.05, true),
                subject);
        assertEquals("wide-cnn", subject.recipe(3).network());
        assertTrue(subject.recipe(3).pruningAware());
        assertEquals(3, subject.recipe(3).training().seed());
    }

    @Test
    void a_sweep_over_the_fashion_mnist_badnets_networks_attacks_and_rates() throws IOException {
        Path file = Files.writeString(tmp.resolve("g.yaml"), "name: g\nfashion-mnist: {data: fm, cache: c}\n"
                + "defenses: [pruning]\nsweep: {networks: [wide-cnn, small-cnn], attacks: [patch, pruning-aware], "
                + "rates: [0.01, 0.1], seeds: [1, 2, 3]}\n");
        ExperimentPlan plan = ExperimentFile.read(file).plan();
        assertEquals(new SubjectAxes(List.of("wide-cnn", "small-cnn"), List.of("patch", "pruning-aware"),
                List.of(0.01, 0.1)), plan.sweep().subjects());
        assertEquals(2 * 2 * 2 * 3, plan.points().size());
        Path lab = Files.writeString(tmp.resolve("l.yaml"), "name: l\nmodel: {weights: m.h5}\ndata: {dir: d}\n"
                + "defenses: [pruning]\nsweep: {attacks: [blend]}\n");
        assertEquals(lab + ": the attack axes describe the Fashion-MNIST BadNet; a lab subject (--model) is one "
                + "BadNet file", assertThrows(FinepruneException.class, () -> ExperimentFile.read(lab)).getMessage());
    }

    @Test
    void the_default_fashion_mnist_subject_is_the_badnet_of_before_so_its_cache_is_reused() {
        FashionMnistSubject subject = FashionMnistSubject.of(Path.of("fm"), Path.of("c"));
        for (long seed : new long[] {1, 2, 3}) {
            PoisonConfig base = BadNetTraining.defaultPoison();
            PoisonConfig seeded = new PoisonConfig(base.trigger(), base.mapping(), base.rate(), seed, base.excludeTarget());
            assertEquals(BadNetTraining.cacheKey(seeded, TrainingConfig.defaults().withSeed(seed)),
                    subject.recipe(seed).cacheKey());
        }
    }

    @Test
    void protocols_and_the_selection_share_are_sweep_keys() throws IOException {
        Path file = Files.writeString(tmp.resolve("p.yaml"), "name: p\nfashion-mnist: {data: fm, cache: c}\n"
                + "defenses: [pruning]\nsweep: {protocols: [strict, backdoorbench], selection-share: 0.3}\n");
        ExperimentPlan plan = ExperimentFile.read(file).plan();
        assertEquals(List.of(Protocol.strict(0.3), Protocol.named("backdoorbench")), plan.sweep().protocols());
        assertEquals(List.of("defense=pruning,engine=PyTorch,protocol=strict,seed=1",
                "defense=pruning,engine=PyTorch,protocol=backdoorbench,seed=1"),
                plan.points().stream().map(Point::key).toList());
        assertEquals("relative", plan.points().get(1).settings().text("drop-unit"), "BackdoorBench's stopping rule");
        assertEquals(10.0, plan.points().get(1).settings().number("drop"));
        assertEquals("last-under", plan.points().get(1).settings().text("rule"));
        assertEquals("points", plan.points().get(0).settings().text("drop-unit"));

        Path anp = Files.writeString(tmp.resolve("a.yaml"), "name: a\nfashion-mnist: {data: fm, cache: c}\n"
                + "defenses: [anp, clp]\nsweep: {protocols: [strict, backdoorbench]}\n");
        List<Point> anpPoints = ExperimentFile.read(anp).plan().points();
        assertEquals(List.of("threshold", "last-under"), anpPoints.subList(0, 2).stream()
                .map(p -> p.settings().text("rule")).toList(), "ANP stops as BackdoorBench's ANP under its protocol");
        assertEquals("relative", anpPoints.get(1).settings().text("drop-unit"));
        assertEquals(10.0, anpPoints.get(1).settings().number("drop"));
        assertEquals(anpPoints.get(2).settings(), anpPoints.get(3).settings(), "CLP has no stopping rule");

        Path wrong = Files.writeString(tmp.resolve("w.yaml"), "name: w\nfashion-mnist: {data: fm, cache: c}\n"
                + "defenses: [pruning]\nsweep: {protocols: [lab], selection-share: 0.3}\n");
        FinepruneException e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(wrong));
        assertEquals(wrong + ": a selection share is a setting of the strict protocol, and the protocols are [lab]",
                e.getMessage());
    }

    @Test
    void unknown_keys_and_bad_values_name_the_file_and_key() throws IOException {
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), "name: x\nmodel: {weights: m.h5}\ndata: {dir: d}\n"
                + "defenses: [pruning]\nsweep: {drop: [2]}\n");
        FinepruneException e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(typo));
        assertTrue(e.getMessage().startsWith(typo + ": unknown key 'sweep.drop'"), e.getMessage());

        Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"name\": ");
        e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(broken));
        assertTrue(e.getMessage().startsWith(broken + ": not a readable experiment file"), e.getMessage());
    }

    static Stream<Arguments> settings_a_defense_refuses() {
        return Stream.of(
                Arguments.of("settings", "{dorp: 2}", "defense 'pruning' has no parameter 'dorp'; its parameters: "
                        + "layer, drop, drop-unit, rule, pruning-batch-size"),
                Arguments.of("settings", "{drop: 150}",
                        "defense 'pruning': parameter 'drop' takes a number in (0, 100), got 150"),
                Arguments.of("sweep", "{parameters: {drop: [2, 0]}}",
                        "defense 'pruning': parameter 'drop' takes a number in (0, 100), got 0"),
                Arguments.of("sweep", "{parameters: {epochs: [2]}}",
                        "defense 'pruning' has no parameter 'epochs'; its parameters: layer, drop, drop-unit, rule, pruning-batch-size"),
                Arguments.of("defenses", "[pruning, nope]", "unknown defense 'nope'; known: "),
                Arguments.of("settings", "{drop: \"2\"}", "settings.drop: \"2\" is not a number"),
                Arguments.of("settings", "{pruning-batch-size: 2.5}",
                        "settings.pruning-batch-size: 2.5 is not an integer"),
                Arguments.of("sweep", "{parameters: {drop: [\"4\"]}}", "sweep.parameters.drop[0]: \"4\" is not a number"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("settings_a_defense_refuses")
    void settings_are_checked_against_the_defense_before_any_work(String key, String yaml, String expected)
            throws IOException {
        Path file = yamlWith(key, yaml);

        FinepruneException e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(file));

        assertTrue(e.getMessage().startsWith(file + ": " + expected), e.getMessage());
    }

    @Test
    void a_missing_file_is_a_no_such_file_error_naming_it() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> ExperimentFile.read(tmp.resolve("absent.yaml")));
        assertEquals(tmp.resolve("absent.yaml").toString(), e.getFile());
    }

    @Test
    void sweep_axes_reject_repeats_empty_axes_ambiguous_values_and_unknown_engines() {
        assertThrows(IllegalArgumentException.class, () -> Sweep.over("drop", 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Sweep.over("drop"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sweep.over("layer", "a,b"));
        assertTrue(e.getMessage().contains("cannot name a point"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sweep.over("drop", 2).engines("TensorFlow"));
        assertTrue(e.getMessage().contains("unknown engine 'TensorFlow'"), e.getMessage());
    }

    /** A YAML file of the keys name, model and data with {@code key} set to {@code yaml}. */
    private Path yamlWith(String key, String yaml) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("name", "x");
        keys.put("model", "{weights: m.h5}");
        keys.put("data", "{dir: d}");
        keys.put("defenses", "[pruning]");
        keys.put(key, yaml);
        StringBuilder text = new StringBuilder();
        keys.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        return Files.writeString(tmp.resolve("typed.yaml"), text);
    }

    static Stream<Arguments> values_of_the_wrong_type() {
        return Stream.of(
                Arguments.of("sweep", "{seeds: [\"abc\"]}", "sweep.seeds[0]: \"abc\" is not an integer"),
                Arguments.of("sweep", "{seeds: [abc]}", "sweep.seeds[0]: \"abc\" is not an integer"),
                Arguments.of("sweep", "{seeds: [1.5]}", "sweep.seeds[0]: 1.5 is not an integer"),
                Arguments.of("sweep", "{seeds: [\"1\"]}", "sweep.seeds[0]: \"1\" is not an integer"),
                Arguments.of("sweep", "{seeds: [1, null]}", "sweep.seeds[1]: null is not an integer"),
                Arguments.of("sweep", "{parameters: {drop: 2}}", "sweep.parameters.drop: 2 is not a list"),
                Arguments.of("sweep", "{parameters: [drop]}", "sweep.parameters: [\"drop\"] is not "),
                Arguments.of("defenses", "pruning", "defenses: \"pruning\" is not a list"),
                Arguments.of("settings", "[drop]", "settings: [\"drop\"] is not "),
                Arguments.of("sweep", "{engines: [true]}", "sweep.engines[0]: true is not a string"),
                Arguments.of("model", "{weights: m.h5, scale: [1]}", "model.scale: [1] is not a number"),
                Arguments.of("model", "{weights: m.h5, scale: \"255\"}", "model.scale: \"255\" is not a number"),
                Arguments.of("model", "{weights: 5}", "model.weights: 5 is not a string"),
                Arguments.of("model", "m.h5", "model: \"m.h5\" is not an object with the keys [scale, weights]"),
                Arguments.of("sweep", "{seeds: [99999999999999999999]}",
                        "sweep.seeds[0]: 99999999999999999999 is out of range for an integer"),
                Arguments.of("name", "7", "name: 7 is not a string"),
                Arguments.of("device", "[cpu]", "device: [\"cpu\"] is not a string"),
                Arguments.of("sweep", "{engines: [PyTorch, ~]}", "sweep.engines[1]: null is not a string"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("values_of_the_wrong_type")
    void a_value_of_the_wrong_type_is_refused_naming_file_key_value_and_type(String key, String yaml,
            String expected) throws IOException {
        Path file = yamlWith(key, yaml);

        FinepruneException e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(file));

        assertTrue(e.getMessage().startsWith(file + ": " + expected), e.getMessage());
    }

    @Test
    void a_json_value_of_the_wrong_type_is_refused_as_in_yaml() throws IOException {
        Path file = Files.writeString(tmp.resolve("e.json"), "{\"name\": \"x\", \"model\": {\"weights\": \"m.h5\"},"
                + " \"data\": {\"dir\": \"d\"}, \"defenses\": [\"pruning\"], \"sweep\": {\"seeds\": [1, 1.5]}}");

        FinepruneException e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(file));

        assertEquals(file + ": sweep.seeds[1]: 1.5 is not an integer", e.getMessage());
    }

    @Test
    void numbers_written_as_integers_are_accepted_where_fractions_may_be() throws IOException {
        ExperimentPlan plan = ExperimentFile.read(yamlWith("sweep", "{parameters: {drop: [2, 4.5]}, seeds: [3]}"))
                .plan();

        assertEquals(List.of(2.0, 4.5), plan.points().stream().map(p -> p.settings().number("drop")).toList());
        assertEquals(List.of(3L), plan.sweep().seeds());
    }

    static Stream<Arguments> repeated_keys() {
        return Stream.of(
                Arguments.of("twice.yaml", "name: x\nmodel: {weights: m.h5}\ndata: {dir: d}\nname: y\n", "name"),
                Arguments.of("nested.yaml", "name: x\nmodel: {weights: m.h5}\ndata: {dir: d}\n"
                        + "sweep: {seeds: [2], seeds: [4]}\n", "seeds"),
                Arguments.of("twice.json", "{\"name\": \"x\", \"model\": {\"weights\": \"m.h5\"}, "
                        + "\"data\": {\"dir\": \"d\"}, \"name\": \"y\"}", "name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repeated_keys")
    void a_repeated_key_is_refused(String fileName, String content, String key) throws IOException {
        Path file = Files.writeString(tmp.resolve(fileName), content);

        FinepruneException e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(file));

        assertTrue(e.getMessage().startsWith(file + ": not a readable experiment file (Duplicate field '" + key
                + "'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "a/b", "../up", "", "a b"})
    void a_name_that_is_not_a_plain_file_name_is_refused_by_the_dsl_and_in_a_file(String name) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiment.named(name));
        assertTrue(e.getMessage().contains("got '" + name + "'"), e.getMessage());

        Path file = yamlWith("name", "\"" + name + "\"");
        FinepruneException inFile = assertThrows(FinepruneException.class, () -> ExperimentFile.read(file));
        assertEquals(file + ": " + e.getMessage(), inFile.getMessage());
    }
}
