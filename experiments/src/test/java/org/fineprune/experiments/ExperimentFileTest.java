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
import org.fineprune.defenses.pruning.SelectionRule;
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
                "defense: {layer: conv_4, rule: last-under}",
                "sweep: {drops: [2, 4], layers: [conv_3, conv_4], engines: [pytorch, MXNet], seeds: [1, 2, 3]}",
                "device: cpu",
                "out: runs/lab3", ""));
        ExperimentFile read = ExperimentFile.read(file);
        ExperimentPlan plan = read.plan();
        assertEquals("lab3-pruning", plan.name());
        assertEquals(tmp.resolve("models/bd.h5"), plan.model().weights());
        assertEquals(255.0, plan.model().inputScale());
        assertEquals(tmp.resolve("data/cl/valid.h5"), plan.data().valid());
        assertEquals(tmp.resolve("data/bd/bd_test.h5"), plan.data().poisoned());
        assertEquals("conv_4", plan.defense().layer());
        assertEquals(SelectionRule.LAST_UNDER, plan.defense().rule());
        assertEquals(List.of("PyTorch", "MXNet"), plan.sweep().engines());
        assertEquals(2 * 2 * 2 * 3, plan.points().size());
        assertEquals(tmp.resolve("runs/lab3"), read.out());
        assertEquals("cpu", plan.device());
    }

    @Test
    void json_file_with_explicit_files_and_defaults() throws IOException {
        Path file = Files.writeString(tmp.resolve("e.json"), "{\"name\": \"x\", \"model\": {\"weights\": \"/m.h5\"},"
                + " \"data\": {\"valid\": \"v.h5\", \"test\": \"t.h5\", \"poisoned\": \"p.h5\"}}");
        ExperimentPlan plan = ExperimentFile.read(file).plan();
        assertEquals(Path.of("/m.h5"), plan.model().weights());
        assertEquals(tmp.resolve("t.h5"), plan.data().test());
        assertEquals(4, plan.points().size(), "the lab's four thresholds on conv_3, PyTorch, seed 1");
        assertEquals("drop=2,engine=PyTorch,layer=conv_3,seed=1", plan.points().get(0).key());
    }

    @Test
    void unknown_keys_and_bad_values_name_the_file_and_key() throws IOException {
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), "name: x\nmodel: {weights: m.h5}\ndata: {dir: d}\n"
                + "sweep: {drop: [2]}\n");
        FinepruneException e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(typo));
        assertTrue(e.getMessage().startsWith(typo + ": unknown key 'sweep.drop'"), e.getMessage());

        Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"name\": ");
        e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(broken));
        assertTrue(e.getMessage().startsWith(broken + ": not a readable experiment file"), e.getMessage());
    }

    @Test
    void a_missing_file_is_a_no_such_file_error_naming_it() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> ExperimentFile.read(tmp.resolve("absent.yaml")));
        assertEquals(tmp.resolve("absent.yaml").toString(), e.getFile());
    }

    @Test
    void sweep_axes_reject_repeats_and_unknown_engines() {
        assertThrows(IllegalArgumentException.class, () -> Sweep.drops(2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sweep.drops(2).engines("TensorFlow"));
        assertTrue(e.getMessage().contains("unknown engine 'TensorFlow'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sweep.drops(0));
    }

    /** A YAML file of the keys name, model and data with {@code key} set to {@code yaml}. */
    private Path yamlWith(String key, String yaml) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>(Map.of("name", "x", "model", "{weights: m.h5}", "data", "{dir: d}"));
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
                Arguments.of("sweep", "{drops: [true]}", "sweep.drops[0]: true is not a number"),
                Arguments.of("sweep", "{drops: [\"abc\"]}", "sweep.drops[0]: \"abc\" is not a number"),
                Arguments.of("sweep", "{drops: [\"2\"]}", "sweep.drops[0]: \"2\" is not a number"),
                Arguments.of("sweep", "{drops: 2}", "sweep.drops: 2 is not a list"),
                Arguments.of("sweep", "{layers: [3]}", "sweep.layers[0]: 3 is not a string"),
                Arguments.of("sweep", "{engines: [true]}", "sweep.engines[0]: true is not a string"),
                Arguments.of("model", "{weights: m.h5, scale: [1]}", "model.scale: [1] is not a number"),
                Arguments.of("model", "{weights: m.h5, scale: \"255\"}", "model.scale: \"255\" is not a number"),
                Arguments.of("model", "{weights: 5}", "model.weights: 5 is not a string"),
                Arguments.of("model", "m.h5", "model: \"m.h5\" is not an object with the keys [scale, weights]"),
                Arguments.of("sweep", "{seeds: [99999999999999999999]}",
                        "sweep.seeds[0]: 99999999999999999999 is out of range for an integer"),
                Arguments.of("defense", "{batch: 2.5}", "defense.batch: 2.5 is not an integer"),
                Arguments.of("defense", "{batch: 99999999999}", "defense.batch: 99999999999 is out of range for an integer"),
                Arguments.of("defense", "{drops: [false]}", "defense.drops[0]: false is not a number"),
                Arguments.of("name", "7", "name: 7 is not a string"),
                Arguments.of("device", "[cpu]", "device: [\"cpu\"] is not a string"),
                Arguments.of("sweep", "{layers: [conv_3, ~]}", "sweep.layers[1]: null is not a string"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("values_of_the_wrong_type")
    void a_value_of_the_wrong_type_is_refused_naming_file_key_value_and_type(String key, String yaml,
            String expected) throws IOException {
        Path file = yamlWith(key, yaml);

        FinepruneException e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(file));

        assertEquals(file + ": " + expected, e.getMessage());
    }

    @Test
    void a_json_value_of_the_wrong_type_is_refused_as_in_yaml() throws IOException {
        Path file = Files.writeString(tmp.resolve("e.json"), "{\"name\": \"x\", \"model\": {\"weights\": \"m.h5\"},"
                + " \"data\": {\"dir\": \"d\"}, \"sweep\": {\"drops\": [2, 4], \"seeds\": [1, 1.5]}}");

        FinepruneException e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(file));

        assertEquals(file + ": sweep.seeds[1]: 1.5 is not an integer", e.getMessage());
    }

    @Test
    void numbers_written_as_integers_are_accepted_where_fractions_may_be() throws IOException {
        ExperimentPlan plan = ExperimentFile.read(yamlWith("sweep", "{drops: [2, 4.5], seeds: [3]}")).plan();

        assertEquals(List.of(2.0, 4.5), plan.sweep().drops());
        assertEquals(List.of(3L), plan.sweep().seeds());
    }

    static Stream<Arguments> repeated_keys() {
        return Stream.of(
                Arguments.of("twice.yaml", "name: x\nmodel: {weights: m.h5}\ndata: {dir: d}\nname: y\n", "name"),
                Arguments.of("nested.yaml", "name: x\nmodel: {weights: m.h5}\ndata: {dir: d}\n"
                        + "sweep: {drops: [2], drops: [4]}\n", "drops"),
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
