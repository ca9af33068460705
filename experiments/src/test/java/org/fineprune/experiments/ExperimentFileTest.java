package org.fineprune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fineprune.core.FinepruneException;
import org.fineprune.defenses.pruning.SelectionRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

        Path badLayer = Files.writeString(tmp.resolve("layer.yaml"), "name: x\nmodel: {weights: m.h5}\ndata: {dir: d}\n"
                + "sweep: {layers: [fc_1]}\n");
        e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(badLayer));
        assertTrue(e.getMessage().contains("'fc_1' is not a convolution layer"), e.getMessage());

        Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"name\": ");
        e = assertThrows(FinepruneException.class, () -> ExperimentFile.read(broken));
        assertTrue(e.getMessage().startsWith(broken + ": not a readable experiment file"), e.getMessage());
    }

    @Test
    void sweep_axes_reject_repeats_and_unknown_engines() {
        assertThrows(IllegalArgumentException.class, () -> Sweep.drops(2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sweep.drops(2).engines("TensorFlow"));
        assertTrue(e.getMessage().contains("unknown engine 'TensorFlow'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sweep.drops(0));
    }
}
