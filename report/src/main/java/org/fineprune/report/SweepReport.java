package org.fineprune.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fineprune.experiments.OutputFolder;

/**
 * Writes the report of a sweep's run folder from its {@code results.jsonl}: {@code summary.csv},
 * {@code report.md} and PNG plots under {@code plots/}.
 *
 * <p>Records are grouped by (layer, engine, drop) and their metrics averaged over seeds (sample
 * standard deviation). The plots follow the figure of Fine-Pruning (Liu, Dolan-Gavitt and Garg,
 * "Fine-Pruning: Defending Against Backdooring Attacks on Deep Neural Networks", RAID 2018): for
 * each layer, {@code plots/pruning_<layer>.png} shows validation accuracy against channels pruned
 * and the repaired models' clean accuracy and attack success rate at each threshold;
 * {@code plots/attack_vs_clean.png} shows attack success rate against clean accuracy of every
 * repaired model.
 *
 * <p>Only the files named here are written, through an {@link OutputFolder} (writer {@value #WRITER}):
 * files of these names that it did not write are refused, and nothing else in the folder is touched.
 * Charts are drawn headless: {@code java.awt.headless} is set to {@code true} unless already set.
 *
 * <pre>{@code
 * ReportFiles files = SweepReport.write(Path.of("runs/lab3"));
 * System.out.println("wrote " + files.report());
 * }</pre>
 */
public final class SweepReport {
    static {
        Headless.ensure();
    }

    /** The name of the report's writer in its run folder's {@link OutputFolder}. */
    public static final String WRITER = "report";
    /** The folder of the plots inside the run folder. */
    public static final String PLOTS = "plots";
    /** The file name of the attack success rate against clean accuracy plot, inside {@link #PLOTS}. */
    public static final String ATTACK_VS_CLEAN = "attack_vs_clean.png";

    private SweepReport() {}

    /**
     * Reads {@code runDir}/results.jsonl and writes {@code report.md}, {@code summary.csv} and the
     * plots into {@code runDir}, replacing the report it wrote there before.
     *
     * @param runDir a sweep's run folder
     * @return the paths written
     * @throws java.nio.file.NoSuchFileException if {@code runDir} or its results.jsonl does not exist
     * @throws org.fineprune.core.DataFormatException if results.jsonl holds no records, or a line is
     *     not JSON or lacks a field the report needs (the message names the file and line)
     * @throws IOException if a file cannot be read or written, or a file of a report's name there was
     *     not written by the report
     */
    public static ReportFiles write(Path runDir) throws IOException {
        if (runDir == null) {
            throw new IllegalArgumentException("run folder must not be null");
        }
        return write(claim(runDir, true));
    }

    /**
     * The run folder checked for writing the report: see {@link OutputFolder#claim}.
     *
     * @param replace whether a finished report there may be replaced
     */
    public static OutputFolder claim(Path runDir, boolean replace) throws IOException {
        return OutputFolder.claim(runDir, WRITER, SweepReport::isReportFile, replace);
    }

    /** Writes the report of the claimed run folder {@code folder}; see {@link #write(Path)}. */
    public static ReportFiles write(OutputFolder folder) throws IOException {
        Path runDir = folder.dir();
        List<ResultRecord> records = ResultsFile.read(runDir);
        List<GroupSummary> groups = GroupSummary.of(records);

        // Everything is drawn before anything is written, so a failure leaves the old report whole.
        Path plotDir = runDir.resolve(PLOTS);
        Map<Path, byte[]> pngs = new LinkedHashMap<>();
        List<MarkdownReport.Plot> shown = new ArrayList<>();
        List<String> layers = records.stream().map(ResultRecord::layer).distinct().sorted(Text.NATURAL).toList();
        boolean severalEngines = records.stream().map(ResultRecord::engine).distinct().count() > 1;
        Set<String> names = new HashSet<>(Set.of(ATTACK_VS_CLEAN));
        for (String layer : layers) {
            String name = unique("pruning_" + Text.fileName(layer), names);
            List<ResultRecord> layerRecords = records.stream().filter(r -> r.layer().equals(layer)).toList();
            List<GroupSummary> layerGroups = groups.stream().filter(g -> g.layer().equals(layer)).toList();
            pngs.put(plotDir.resolve(name), Plots.png(Plots.pruning(layer, layerRecords, layerGroups, severalEngines)));
            int channels = layerRecords.stream().mapToInt(r -> r.curve().length).max().orElse(0);
            shown.add(new MarkdownReport.Plot(PLOTS + "/" + name, layer + " (" + channels + " channels)",
                    "Validation accuracy while pruning " + layer + ", with the repaired models' clean accuracy "
                            + "and attack success rate"));
        }
        pngs.put(plotDir.resolve(ATTACK_VS_CLEAN),
                Plots.png(Plots.attackVsClean(groups, records, seriesNames(groups))));
        shown.add(new MarkdownReport.Plot(PLOTS + "/" + ATTACK_VS_CLEAN, "Attack success rate against clean accuracy",
                "Attack success rate against clean accuracy of the repaired models"));
        Path absolute = runDir.toAbsolutePath().normalize();
        String folderName = absolute.getFileName() == null ? absolute.toString() : absolute.getFileName().toString();
        String markdown = MarkdownReport.render(folderName, records, groups, shown);
        String csv = SummaryCsv.render(groups);

        List<Path> plots = new ArrayList<>();
        for (Map.Entry<Path, byte[]> png : pngs.entrySet()) {
            plots.add(folder.write(PLOTS + "/" + png.getKey().getFileName(), png.getValue()));
        }
        Path summary = folder.writeString(SummaryCsv.NAME, csv);
        Path report = folder.writeString(MarkdownReport.NAME, markdown);
        folder.finish();
        return new ReportFiles(report, summary, plots);
    }

    /** Whether a file name, relative to the run folder, is one the report writes. */
    static boolean isReportFile(String name) {
        return name.equals(MarkdownReport.NAME) || name.equals(SummaryCsv.NAME)
                || name.equals(PLOTS + "/" + ATTACK_VS_CLEAN) || name.matches(PLOTS + "/pruning_.*\\.png");
    }

    /**
     * Legend names of the (layer, engine) series: {@code conv_3 / PyTorch}, or just the layer or the
     * engine when the sweep has one engine or one layer.
     */
    static Map<String, String> seriesNames(List<GroupSummary> groups) {
        boolean layers = groups.stream().map(GroupSummary::layer).distinct().count() > 1;
        boolean engines = groups.stream().map(GroupSummary::engine).distinct().count() > 1;
        Map<String, String> names = new LinkedHashMap<>();
        for (GroupSummary g : groups) {
            names.put(g.series(), layers && !engines ? g.layer() : engines && !layers ? g.engine() : g.series());
        }
        return names;
    }

    private static String unique(String stem, Set<String> taken) {
        String name = stem + ".png";
        for (int i = 2; !taken.add(name); i++) {
            name = stem + "_" + i + ".png";
        }
        return name;
    }
}
