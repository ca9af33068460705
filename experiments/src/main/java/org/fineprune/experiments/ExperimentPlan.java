package org.fineprune.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fineprune.core.Architecture;
import org.fineprune.core.Distinct;
import org.fineprune.core.Progress;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.Parameter;

/**
 * A complete experiment: subject, defenses and their settings, and the sweep, ready to run. Built
 * by {@link Experiment}'s steps, by the command line's flags or from an experiment file.
 *
 * @param name the experiment's name, recorded with every point
 * @param subject the BadNet and its data
 * @param defenses the defense axis: the names of the defenses to run, each found on the class path
 * @param settings parameter values that hold for every point; each applies to the defenses that declare it
 * @param sweep the parameter, engine, seed, protocol and subject axes
 * @param device {@code cpu}, {@code gpu} or {@code auto}
 */
public record ExperimentPlan(String name, Subject subject, List<String> defenses, Map<String, Object> settings,
        Sweep sweep, String device) {
    /** Validates the name and the defense list, and fills defaults. */
    public ExperimentPlan {
        requireFileName(name);
        if (subject == null) {
            throw new IllegalArgumentException("experiment '" + name + "' has no subject (model and data)");
        }
        defenses = List.copyOf(defenses);
        if (defenses.isEmpty()) {
            throw new IllegalArgumentException("experiment '" + name + "' names no defense");
        }
        Distinct.require("the defense axis", defenses);
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        sweep = sweep == null ? Sweep.none() : sweep;
        device = device == null ? "auto" : device;
        sweep.subjects().combinations().forEach(subject::along);
    }

    /**
     * Checks that {@code name} can name the run folder {@code runs/<name>}: one plain file-name
     * component, not {@code .} or {@code ..}.
     *
     * @throws IllegalArgumentException if it cannot
     */
    static void requireFileName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("experiment name must be a plain file name of letters, digits, "
                    + "'.', '_' or '-' (not '.' or '..'), got '" + name + "'");
        }
    }

    /** A copy on another device. */
    public ExperimentPlan device(String name) {
        return new ExperimentPlan(this.name, subject, defenses, settings, sweep, name);
    }

    /** The BadNet and data of {@code point}: the subject along the point's subject axes. */
    public Subject subject(Point point) {
        return subject.along(point.subject());
    }

    /**
     * Every point of the experiment, in run order: recipe by recipe of the subject axes, then defense
     * by defense, then each axis the defense declares, engines, seeds and protocols, the axes of its
     * shared parameters innermost so that the points one run of the defense serves are neighbours. A
     * protocol's {@linkplain Protocol#defaults settings} hold where the experiment sets none, for the
     * defenses that declare all of them.
     *
     * @throws IllegalArgumentException before any work, for a defense that is not found, a parameter
     *     that no defense of the experiment declares, or a value a defense does not allow, naming the
     *     defense, the parameter and what is allowed
     */
    public List<Point> points() {
        List<Defense> found = List.copyOf(found().values());
        Set<String> names = new LinkedHashSet<>(settings.keySet());
        names.addAll(sweep.parameters().keySet());
        for (String parameter : names) {
            if (found.stream().noneMatch(d -> declares(d, parameter))) {
                throw new IllegalArgumentException(found.size() == 1
                        ? "defense '" + found.get(0).name() + "' has no parameter '" + parameter + "'; its parameters: "
                                + String.join(", ", found.get(0).parameters().stream().map(Parameter::name).toList())
                        : "no defense of " + defenses + " has a parameter '" + parameter + "'");
            }
        }
        List<Point> points = new ArrayList<>();
        for (Map<String, String> recipe : sweep.subjects().combinations()) {
            for (Defense defense : found) {
                points(defense).forEach(p -> points.add(new Point(p.settings(), p.axes(), p.engine(), p.seed(),
                        p.protocol(), new TreeMap<>(recipe))));
            }
        }
        return points;
    }

    private List<Point> points(Defense defense) {
        Map<String, Object> fixed = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (declares(defense, k)) {
                fixed.put(k, v);
            }
        });
        List<String> axes = new ArrayList<>();
        sweep.parameters().keySet().stream().filter(p -> declares(defense, p))
                .filter(p -> !defense.sharedParameters().contains(p)).forEach(axes::add);
        int outer = axes.size();
        sweep.parameters().keySet().stream().filter(p -> declares(defense, p))
                .filter(p -> defense.sharedParameters().contains(p)).forEach(axes::add);
        // Dimensions in loop order: the unshared axes, engine, seed, protocol, the shared axes.
        List<List<?>> dimensions = new ArrayList<>();
        axes.subList(0, outer).forEach(a -> dimensions.add(sweep.parameters().get(a)));
        dimensions.add(sweep.engines());
        dimensions.add(sweep.seeds());
        dimensions.add(sweep.protocols());
        axes.subList(outer, axes.size()).forEach(a -> dimensions.add(sweep.parameters().get(a)));
        List<Point> points = new ArrayList<>();
        int[] index = new int[dimensions.size()];
        while (true) {
            Protocol protocol = (Protocol) dimensions.get(outer + 2).get(index[outer + 2]);
            Map<String, Object> given = new LinkedHashMap<>();
            // A protocol's stopping rule holds for the defenses that have one, declaring all its parameters
            // (the pruning defenses and ANP), not for another defense's parameter of the same name.
            if (protocol.defaults().keySet().stream().allMatch(k -> declares(defense, k))) {
                given.putAll(protocol.defaults());
            }
            given.putAll(fixed);
            for (int i = 0; i < axes.size(); i++) {
                int d = i < outer ? i : i + 3;
                given.put(axes.get(i), dimensions.get(d).get(index[d]));
            }
            String engine = (String) dimensions.get(outer).get(index[outer]);
            long seed = (Long) dimensions.get(outer + 1).get(index[outer + 1]);
            points.add(new Point(defense.settings(given), axes, engine, seed, protocol));
            int d = dimensions.size() - 1;
            while (d >= 0 && ++index[d] == dimensions.get(d).size()) {
                index[d--] = 0;
            }
            if (d < 0) {
                return points;
            }
        }
    }

    /**
     * Every point, checked before any work: its settings ({@link #points()}), a training set for the
     * defenses that inspect one, and their fit to the subject's network ({@link Defense#check}: a layer
     * the network lacks). A sweep calls it before it creates its run folder; a command may call it
     * before it claims its output folder.
     *
     * @throws IllegalArgumentException naming the defense, the parameter and what is allowed
     */
    public List<Point> check() {
        List<Point> points = points();
        Map<String, Defense> found = found();
        for (Protocol protocol : sweep.protocols()) {
            if (protocol.needsTrainingSet() && !subject.hasTrainingSet()) {
                throw new IllegalArgumentException("protocol " + protocol.name() + " takes 5% of the BadNet's training "
                        + "images, and a lab subject (--model) has no training set: run it on the Fashion-MNIST BadNet");
            }
        }
        for (String defense : defenses) {
            if (found.get(defense).inspectsTrainingSet() && !subject.hasTrainingSet()) {
                throw new IllegalArgumentException("defense '" + defense + "' inspects the BadNet's training set, and a "
                        + "lab subject (--model) has none: run it on the Fashion-MNIST BadNet (no --model)");
            }
        }
        Map<Map<String, String>, Architecture> architectures = new HashMap<>();
        for (Point point : points) {
            Architecture architecture = architectures.computeIfAbsent(point.subject(),
                    axes -> subject(point).architecture(point.engine(), device));
            found.get(point.defense()).check(architecture, point.settings());
        }
        return points;
    }

    /**
     * The defenses of the defense axis, by name, each looked up once on the class path.
     *
     * @throws IllegalArgumentException for a defense that is not found
     */
    Map<String, Defense> found() {
        Map<String, Defense> found = new LinkedHashMap<>();
        defenses.forEach(name -> found.put(name, Defenses.find(name)));
        return found;
    }

    private static boolean declares(Defense defense, String parameter) {
        return defense.parameters().stream().anyMatch(p -> p.name().equals(parameter));
    }

    /**
     * Runs every point not yet recorded in {@code runDir}/results.jsonl.
     *
     * @throws IOException if a file cannot be read or written
     */
    public SweepResult run(Path runDir) throws IOException {
        return run(runDir, Progress.NONE);
    }

    /**
     * As {@link #run(Path)}, telling {@code progress} of the sweep's points and of each BadNet trained.
     *
     * @throws IOException if a file cannot be read or written
     */
    public SweepResult run(Path runDir, Progress progress) throws IOException {
        return new SweepRunner(this, runDir, progress).run();
    }

    /**
     * This plan with its groups of points run by {@code executor} rather than on this machine, for
     * example on a cluster: {@code plan.runOn(Cluster.members("host1", "host2")).run(runDir)}.
     */
    public PlacedPlan runOn(GroupExecutor executor) {
        return new PlacedPlan(this, executor);
    }
}
