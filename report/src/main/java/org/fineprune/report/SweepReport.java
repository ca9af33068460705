package org.fineprune.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.fineprune.core.DataFormatException;
import org.fineprune.experiments.OutputFolder;
import org.fineprune.experiments.PointRecord;
import org.fineprune.experiments.Records;
import org.fineprune.reproducibility.ResultsLog;
import org.knowm.xchart.XYChart;

/**
 * Writes the report of a run folder from its {@code results.jsonl}, whatever the defenses: {@code
 * report.md}, {@code summary.csv}, PNG plots under {@code plots/} and, for a run over subject axes,
 * {@code leaderboard.md}.
 *
 * <p>Records are grouped by their point without the seed (one defense with the same swept values on
 * one engine) and their metrics averaged over seeds (sample standard deviation), below a row of the
 * BadNet itself. The plots: for every pruning pass (records that differ only in {@code drop}),
 * {@code plots/pruning_<pass>.png}, the figure of Fine-Pruning (Liu, Dolan-Gavitt and Garg,
 * "Fine-Pruning: Defending Against Backdooring Attacks on Deep Neural Networks", RAID 2018) with the
 * validation accuracy and the attack success rate after each step; and {@code
 * plots/clean_vs_attack.png}, the clean accuracy against the attack success rate of every group.
 * Where the records have subject axes (network, attack, poisoning rate), also {@code
 * leaderboard.md}, one row per BadNet and defense ({@link LeaderboardReport}).
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
    /** The file name of the clean accuracy against attack success rate plot, inside {@link #PLOTS}. */
    public static final String CLEAN_VS_ATTACK = "clean_vs_attack.png";

    private SweepReport() {}

    /**
     * Reads {@code runDir}/results.jsonl and writes {@code report.md}, {@code summary.csv} and the
     * plots into {@code runDir}, replacing the report it wrote there before.
     *
     * @param runDir a run folder
     * @return the paths written
     * @throws java.nio.file.NoSuchFileException if {@code runDir} or its results.jsonl does not exist
     * @throws DataFormatException if results.jsonl holds no records, or a record does not follow the
     *     schema (the message names the file and the record)
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
        List<PointRecord> records = Records.read(runDir);
        if (records.isEmpty()) {
            throw new DataFormatException(runDir.resolve(ResultsLog.FILE_NAME) + ": no records; nothing to report");
        }
        Table table = Table.of(records);

        // Everything is drawn before anything is written, so a failure leaves the old report whole.
        Map<String, byte[]> pngs = new LinkedHashMap<>();
        List<MarkdownReport.Plot> shown = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (PruningPass pass : PruningPass.of(records)) {
            String name = unique("pruning_" + Text.fileName(pass.key().replace('=', '-').replace(',', '_')), names);
            pngs.put(name, Plots.png(Plots.pruning(pass)));
            shown.add(new MarkdownReport.Plot(PLOTS + "/" + name, "Pruning " + pass.key().replace(",", ", "),
                    "Validation accuracy and attack success rate after each pruning step, a dashed line at the "
                            + "model each accuracy-drop threshold d kept"));
        }
        XYChart cleanVsAttack = Plots.cleanVsAttack(table);
        if (cleanVsAttack != null) {
            pngs.put(CLEAN_VS_ATTACK, Plots.png(cleanVsAttack));
            shown.add(new MarkdownReport.Plot(PLOTS + "/" + CLEAN_VS_ATTACK,
                    "Clean accuracy against attack success rate",
                    "Clean accuracy against attack success rate of the BadNet and of each row's repaired models"));
        }
        List<String> notes = new ArrayList<>(Notes.of(records, table));
        String leaderboard = null;
        if (LeaderboardReport.applies(table)) {
            leaderboard = LeaderboardReport.render(title(records, runDir), table,
                    cleanVsAttack == null ? null : PLOTS + "/" + CLEAN_VS_ATTACK);
            notes.add("The leaderboard, one row per BadNet and defense: [" + LeaderboardReport.NAME + "]("
                    + LeaderboardReport.NAME + ").");
        }
        String markdown = MarkdownReport.render(title(records, runDir), notes, table, shown);
        String csv = SummaryCsv.render(table);

        List<Path> plots = new ArrayList<>();
        for (Map.Entry<String, byte[]> png : pngs.entrySet()) {
            plots.add(folder.write(PLOTS + "/" + png.getKey(), png.getValue()));
        }
        Path summary = folder.writeString(SummaryCsv.NAME, csv);
        Path board = leaderboard == null ? null : folder.writeString(LeaderboardReport.NAME, leaderboard);
        Path report = folder.writeString(MarkdownReport.NAME, markdown);
        folder.finish();
        return new ReportFiles(report, summary, plots, board);
    }

    /** Whether a file name, relative to the run folder, is one the report writes. */
    static boolean isReportFile(String name) {
        return name.equals(MarkdownReport.NAME) || name.equals(SummaryCsv.NAME) || name.equals(LeaderboardReport.NAME)
                || name.equals(PLOTS + "/" + CLEAN_VS_ATTACK) || name.matches(PLOTS + "/pruning_.*\\.png");
    }

    /** The experiments' names, or the run folder's where none is recorded. */
    private static String title(List<PointRecord> records, Path runDir) {
        String experiments = records.stream().map(PointRecord::experiment).filter(e -> e != null && !e.isBlank())
                .distinct().collect(Collectors.joining(", "));
        if (!experiments.isEmpty()) {
            return experiments;
        }
        Path absolute = runDir.toAbsolutePath().normalize();
        return absolute.getFileName() == null ? absolute.toString() : absolute.getFileName().toString();
    }

    private static String unique(String stem, Set<String> taken) {
        String name = stem + ".png";
        for (int i = 2; !taken.add(name); i++) {
            name = stem + "_" + i + ".png";
        }
        return name;
    }
}
