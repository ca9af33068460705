package org.fineprune.experiments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fineprune.core.Architecture;
import org.fineprune.core.BadNet;
import org.fineprune.core.ModelSource;
import org.fineprune.core.Progress;
import org.fineprune.data.LabData;
import org.fineprune.data.LabDataset;
import org.fineprune.defenses.api.DefenderData;

/**
 * A BadNet file of one's own (ONNX, Keras model, or DeepID weights as the lab's) and the lab's three
 * data files: clean validation images, the defender's; clean test images; poisoned test images
 * labelled with the target. The true classes of the poisoned images are unknown, so robust
 * accuracy is not measured. Paths are kept as given.
 *
 * @param weights the BadNet file
 * @param scale the divisor of its raw 0..255 input pixels
 * @param valid clean labelled validation images
 * @param test clean labelled test images
 * @param poisoned poisoned test images
 */
public record LabSubject(String weights, double scale, String valid, String test, String poisoned)
        implements Subject {
    /** The name of this kind in a record. */
    public static final String KIND = "lab";

    /** Checks the values. */
    public LabSubject {
        new ModelSource(Path.of(weights), scale);
        new LabData(Path.of(valid), Path.of(test), Path.of(poisoned));
    }

    /** The BadNet of {@code model} with the files of {@code data}. */
    public static LabSubject of(ModelSource model, LabData data) {
        return new LabSubject(model.weights().toString(), model.inputScale(), data.valid().toString(),
                data.test().toString(), data.poisoned().toString());
    }

    /** The BadNet's weights file and input scale. */
    public ModelSource model() {
        return new ModelSource(Path.of(weights), scale);
    }

    /** The three data files. */
    public LabData data() {
        return new LabData(Path.of(valid), Path.of(test), Path.of(poisoned));
    }

    @Override
    @JsonIgnore
    public Map<String, Path> inputs() {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("weights", Path.of(weights));
        files.put("valid", Path.of(valid));
        files.put("test", Path.of(test));
        files.put("poisoned", Path.of(poisoned));
        return files;
    }

    @Override
    public Architecture architecture(String engine, String device) {
        try (BadNet net = model().load(engine, device)) {
            return net.architecture();
        }
    }

    /** None: the lab gives no training set. */
    @Override
    public boolean hasTrainingSet() {
        return false;
    }

    @Override
    public Bench open(String engine, String device, long seed, Progress progress) {
        BadNet net = model().load(engine, device);
        try {
            return new Bench(net, inputs(), new DefenderData(LabDataset.open(Path.of(valid), net)),
                    LabDataset.open(Path.of(test), net), LabDataset.open(Path.of(poisoned), net), null);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }
}
