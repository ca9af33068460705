package org.fineprune.defenses.nad;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fineprune.core.Architecture;
import org.fineprune.core.AttentionMaps;
import org.fineprune.core.BadNet;
import org.fineprune.core.Distillation;
import org.fineprune.core.Evaluation;
import org.fineprune.core.GoodNet;
import org.fineprune.core.ImageBatch;
import org.fineprune.core.ImageSource;
import org.fineprune.core.StepListener;
import org.fineprune.core.TrainingConfig;
import org.fineprune.defenses.api.DefenderData;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.DefenseResult;
import org.fineprune.defenses.api.Parameter;
import org.fineprune.defenses.api.Range;
import org.fineprune.defenses.api.Settings;

/**
 * Neural Attention Distillation (Li, Lyu, Koren, Lyu, Li and Ma, "Neural Attention Distillation:
 * Erasing Backdoor Triggers from Deep Neural Networks", ICLR 2021): a copy of the BadNet fine-tuned
 * on the clean data is the teacher; the BadNet is then trained as its student on the same data with
 * cross-entropy plus, at each chosen convolution, beta times the attention-transfer loss between
 * the two nets' attention maps ({@link AttentionMaps}, power {@code p}). The student is B', its
 * GoodNet the detector.
 *
 * <p>Defaults as the reference code (github.com/bboylyg/NAD, and BackdoorBench's NAD): p 2, betas
 * 500, 1000 and 1000 for the three layers, 10 teacher epochs, 20 epochs, batch 64, SGD with
 * momentum 0.9. The learning rate is BackdoorBench's 0.01: the original's 0.1 goes with a step
 * schedule and weight decay that Fineprune's fine-tuning does not have. The layers default to the
 * net's last three convolutions, the reference's three residual groups being the last three
 * stages of its network.
 */
public final class NeuralAttentionDistillation implements Defense {
    /** The reference's betas for its low, middle and high layer. */
    public static final List<Double> DEFAULT_BETAS = List.of(500.0, 1000.0, 1000.0);

    private static final List<Parameter> PARAMETERS = List.of(
            Parameter.texts("layers", List.of(), "convolutions whose attention is distilled; by default the"
                    + " last three (all if the net has fewer)"),
            Parameter.numbers("betas", DEFAULT_BETAS, Range.atLeast(0), "weight of the attention loss of each"
                    + " layer, one per layer; with the default layers the last betas when the net has fewer"),
            Parameter.number("p", 2, Range.above(0), "power of the activations in an attention map"),
            Parameter.integer("teacher-epochs", 10, Range.atLeast(1), "epochs of fine-tuning the teacher"),
            Parameter.integer("epochs", 20, Range.atLeast(1), "epochs of training the student"),
            Parameter.number("learning-rate", 0.01, Range.above(0), "learning rate of teacher and student"),
            Parameter.integer("batch-size", 64, Range.atLeast(1), "batch size of teacher and student"),
            Parameter.choice("optimizer", "sgd", TrainingConfig.OPTIMIZERS,
                    "optimiser of teacher and student; sgd uses momentum 0.9"));

    @Override
    public String name() {
        return "nad";
    }

    @Override
    public String description() {
        return "Neural Attention Distillation: fine-tunes a teacher, then trains the BadNet towards its attention.";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public void check(Architecture architecture, Settings settings) {
        settings.requireFor(this);
        betas(architecture, settings);
    }

    @Override
    public DefenseResult apply(BadNet net, DefenderData data, Settings settings, long seed) throws IOException {
        settings.requireFor(this);
        Map<String, Double> betas = betas(net.architecture(), settings);
        double p = settings.number("p");
        ImageBatch clean = read(data.clean(), net);
        TrainingConfig student = new TrainingConfig(settings.integer("epochs"), settings.integer("batch-size"),
                settings.number("learning-rate"), seed, net.engineName(), settings.text("optimizer"));
        try (BadNet teacher = net.fineTuned(clean.pixels(), clean.labels(),
                student.withEpochs(settings.integer("teacher-epochs")), StepListener.NONE)) {
            BadNet distilled = Distillation.distil(net, teacher, clean, betas, p, student, StepListener.NONE);
            try {
                Map<String, Object> diagnostics = new LinkedHashMap<>();
                diagnostics.put("teacher-validation-accuracy", accuracy(teacher, data.selection()));
                diagnostics.put("student-validation-accuracy", accuracy(distilled, data.selection()));
                diagnostics.put("attention-loss", AttentionMaps.losses(distilled, teacher, clean,
                        List.copyOf(betas.keySet()), p));
                return new DefenseResult(distilled, new GoodNet(net, distilled), diagnostics);
            } catch (IOException | RuntimeException e) {
                distilled.close();
                throw e;
            }
        }
    }

    /**
     * The beta of each distilled layer, in the order given.
     *
     * @throws IllegalArgumentException if a layer is no convolution of the net or the betas are not
     *     one per layer
     */
    static Map<String, Double> betas(Architecture architecture, Settings settings) {
        List<String> layers = settings.texts("layers");
        List<Double> betas = settings.numbers("betas");
        if (layers.isEmpty()) {
            List<String> convs = architecture.convLayers();
            layers = convs.subList(Math.max(0, convs.size() - 3), convs.size());
            if (betas.size() > layers.size()) {
                betas = betas.subList(betas.size() - layers.size(), betas.size());
            }
        }
        for (String layer : layers) {
            if (!architecture.convLayers().contains(layer)) {
                throw new IllegalArgumentException("defense 'nad': parameter 'layers': '" + layer
                        + "' is not a convolution of " + architecture.name() + "; convolutions: "
                        + architecture.convLayers());
            }
        }
        if (betas.size() != layers.size()) {
            throw new IllegalArgumentException("defense 'nad': parameter 'betas': " + betas.size() + " betas " + betas
                    + " for " + layers.size() + " layers " + layers + "; give one beta per layer");
        }
        Map<String, Double> byLayer = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            if (byLayer.put(layers.get(i), betas.get(i)) != null) {
                throw new IllegalArgumentException("defense 'nad': parameter 'layers': '" + layers.get(i)
                        + "' is given twice");
            }
        }
        return byLayer;
    }

    /** Every image of {@code clean} with its label, in one batch. */
    private static ImageBatch read(ImageSource clean, BadNet net) throws IOException {
        if (!clean.labelled()) {
            throw new IllegalArgumentException(clean.name() + ": nad needs labelled clean images");
        }
        int values = net.architecture().input().size();
        float[] pixels = new float[Math.multiplyExact(clean.size(), values)];
        List<Integer> labels = new ArrayList<>();
        clean.forEachBatch(Evaluation.DEFAULT_BATCH, batch -> {
            if (batch.imageValues() != values) {
                throw new IllegalArgumentException(clean.name() + ": images of " + batch.imageValues() + " values, but "
                        + net.architecture().name() + " takes " + net.architecture().input() + " images");
            }
            System.arraycopy(batch.pixels(), 0, pixels, labels.size() * values, batch.pixels().length);
            for (int label : batch.labels()) {
                labels.add(label);
            }
        });
        return new ImageBatch(pixels, labels.stream().mapToInt(Integer::intValue).toArray(), labels.size());
    }

    private static double accuracy(BadNet net, ImageSource clean) throws IOException {
        return Evaluation.accuracy(net, clean, Evaluation.DEFAULT_BATCH).percent();
    }
}
