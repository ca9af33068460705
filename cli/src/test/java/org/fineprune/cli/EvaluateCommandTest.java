package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fineprune.core.Accuracy;
import org.fineprune.core.KerasFixtures;
import org.fineprune.core.testing.SharedCsaw;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code fineprune evaluate} on the real lab3 BadNet and data, and its errors. */
@Tag("real-data")
class EvaluateCommandTest {
    @ParameterizedTest
    @ValueSource(strings = {"PyTorch", "MXNet"})
    void lab3_badnet_is_perfect_on_clean_and_poisoned_test_data(String engine) throws Exception {
        CliRunner r = CliRunner.run("evaluate", "--model", model(), "--clean", csaw("data/cl/test.h5"),
                "--poisoned", csaw("data/bd/bd_test.h5"), "--engine", engine, "--device", "cpu", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(100.0, json.get("clean_accuracy").asDouble());
        assertEquals(100.0, json.get("attack_success_rate").asDouble());
        assertEquals(56, json.get("images").get("clean").asInt());
        assertEquals(71, json.get("images").get("poisoned").asInt());
        assertEquals(0, json.get("target").asInt());
        assertEquals(engine, json.get("engine").asText());
    }

    @Test
    void a_keras_weights_file_takes_its_architecture_from_a_json_file(@TempDir Path tmp) throws Exception {
        Path json = Files.writeString(tmp.resolve("deepid.json"), KerasFixtures.DEEPID_JSON);
        CliRunner r = CliRunner.run("evaluate", "--model", model(), "--architecture", json.toString(),
                "--clean", csaw("data/cl/test.h5"), "--poisoned", csaw("data/bd/bd_test.h5"), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode out = new ObjectMapper().readTree(r.out());
        assertEquals(100.0, out.get("clean_accuracy").asDouble());
        assertEquals(100.0, out.get("attack_success_rate").asDouble());

        r = CliRunner.run("evaluate", "--model", model(), "--architecture", "DeepID", "--clean", csaw("data/cl/test.h5"),
                "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(100.0, new ObjectMapper().readTree(r.out()).get("clean_accuracy").asDouble(), "a built-in name");
        r = CliRunner.run("evaluate", "--model", model(), "--architecture", "small-cnn", "--clean", csaw("data/cl/test.h5"));
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("conv_1"), "the lab weights are not the small CNN's: " + r.err());

        Files.writeString(json, KerasFixtures.DEEPID_JSON.replace("\"filters\": 20", "\"filters\": 21"));
        r = CliRunner.run("evaluate", "--model", model(), "--architecture", json.toString(), "--clean",
                csaw("data/cl/test.h5"));
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("conv_1/conv_1/kernel:0 has shape [4, 4, 3, 20], the architecture needs [4, 4, 3, 21]"),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void validation_files_give_the_same_perfect_scores_in_text() {
        CliRunner r = CliRunner.run("evaluate", "--model", model(), "--clean", csaw("data/cl/valid.h5"),
                "--poisoned", csaw("data/bd/bd_valid.h5"), "--batch", "10");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Clean Classification accuracy: 100.00% (72/72)"), r.out());
        assertTrue(r.out().contains("Attack Success Rate: 100.00% (91/91), target 0"), r.out());
    }

    @Test
    void poisoned_file_with_several_labels_gives_an_accuracy_not_an_attack_success_rate(@TempDir Path tmp)
            throws Exception {
        Path mixed = tmp.resolve("mixed.h5");
        try (WritableHdfFile hdf = HdfFile.write(mixed)) {
            hdf.putDataset("data", new float[4][3][55][47]);
            hdf.putDataset("label", new float[] {5, 0, 5, 0});
        }
        CliRunner text = CliRunner.run("evaluate", "--model", model(), "--clean", csaw("data/cl/test.h5"),
                "--poisoned", mixed.toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("Accuracy on the poisoned file: ") && text.out().contains("labels 0, 5 (more "
                + "than one label: an accuracy, not an attack success rate)"), text.out());
        assertFalse(text.out().contains("Attack Success Rate") || text.out().contains("[I@"), text.out());

        CliRunner json = CliRunner.run("evaluate", "--model", model(), "--clean", csaw("data/cl/test.h5"),
                "--poisoned", mixed.toString(), "--json");
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertEquals("[0,5]", report.get("poisoned_labels").toString());
        assertFalse(report.has("attack_success_rate") || report.has("target"), json.out());
    }

    @Test
    void a_folder_given_as_the_model_is_named_a_directory(@TempDir Path tmp) {
        CliRunner r = CliRunner.run("evaluate", "--model", tmp.toString(), "--clean", csaw("data/cl/test.h5"));
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertEquals("fineprune evaluate: error: " + tmp + ": is a directory, not a file", r.err().strip());
    }

    @Test
    void a_long_list_of_poisoned_labels_is_cut_to_eight_and_counted() {
        String line = EvaluateCommand.attackLine(new Accuracy(3, 4), new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertTrue(line.contains("labels 1, 2, 3, 4, 5, 6, 7, 8, ... (10 labels) (more than one label"), line);
    }

    @Test
    void scaling_inputs_by_255_breaks_the_raw_input_badnet() throws Exception {
        CliRunner r = CliRunner.run("evaluate", "--model", model(), "--clean", csaw("data/cl/test.h5"),
                "--scale", "255", "--json");
        assertEquals(0, r.exitCode(), r.err());
        double accuracy = new ObjectMapper().readTree(r.out()).get("clean_accuracy").asDouble();
        assertTrue(accuracy < 50, "the lab3 BadNet expects raw pixels; x/255 gave " + accuracy);
    }

    @Test
    void missing_data_file_is_one_clear_line() {
        CliRunner r = CliRunner.run("evaluate", "--model", model(), "--clean", "/nonexistent/valid.h5");
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().startsWith("fineprune evaluate: error: /nonexistent/valid.h5"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void weights_file_that_is_not_hdf5_is_reported_by_name(@TempDir Path tmp) throws Exception {
        Path bogus = Files.writeString(tmp.resolve("bogus.h5"), "not a model");
        CliRunner r = CliRunner.run("evaluate", "--model", bogus.toString(), "--clean", csaw("data/cl/test.h5"));
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains(bogus + ": not a readable Keras HDF5 weights file"), r.err());
    }

    @Test
    void data_file_given_as_model_is_reported_as_missing_layers() {
        CliRunner r = CliRunner.run("evaluate", "--model", csaw("data/cl/test.h5"), "--clean", csaw("data/cl/test.h5"));
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("layer 'conv_1' is missing"), r.err());
    }

    @Test
    void unknown_engine_lists_the_available_ones() {
        CliRunner r = CliRunner.run("evaluate", "--model", model(), "--clean", csaw("data/cl/test.h5"),
                "--engine", "TensorFlow");
        assertEquals(FinepruneCli.INPUT_ERROR, r.exitCode());
        assertTrue(r.err().contains("unknown engine 'TensorFlow'; available: [MXNet, PyTorch]"), r.err());
    }

    @Test
    void bad_flags_give_usage_and_exit_code_2() {
        CliRunner r = CliRunner.run("evaluate", "--model", model(), "--clean", csaw("data/cl/test.h5"),
                "--scale", "abc");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--scale"), r.err());
        assertEquals(2, CliRunner.run("evaluate", "--clean", "x.h5").exitCode());
    }

    @Test
    void gpu_on_a_machine_without_one_is_refused_clearly() {
        CliRunner r = CliRunner.run("evaluate", "--model", model(), "--clean", csaw("data/cl/test.h5"),
                "--device", "gpu");
        if (r.exitCode() != 0) {
            assertTrue(r.err().contains("sees no GPU"), r.err());
        }
    }

    static String model() {
        return csaw("models/bd_weights.h5");
    }

    static String csaw(String relative) {
        return SharedCsaw.file(relative).toString();
    }
}
