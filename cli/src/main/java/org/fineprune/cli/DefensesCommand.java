package org.fineprune.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fineprune.defenses.api.Defense;
import org.fineprune.defenses.api.Defenses;
import org.fineprune.defenses.api.Parameter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists the defenses found on the class path ({@link Defenses}) with their parameters. */
@Command(name = "defenses", mixinStandardHelpOptions = true,
        description = "Lists the defenses found on the class path with their parameters"
                + " (name, type, default, allowed values, help).")
final class DefensesCommand implements Callable<Integer> {
    private static final List<String> HEADER = List.of("parameter", "type", "default", "allowed", "help");

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Defense> defenses = Defenses.all();
        if (json) {
            out.println(Json.line(Map.of("defenses", defenses.stream().map(DefensesCommand::json).toList())));
            return 0;
        }
        for (Defense defense : defenses) {
            out.printf("%s: %s%n", defense.name(), defense.description());
            List<List<String>> rows = new ArrayList<>(List.of(HEADER));
            for (Parameter p : defense.parameters()) {
                rows.add(List.of(p.name(), p.type().label(), shown(p.defaultValue()), p.allowed(), p.help()));
            }
            printTable(out, rows);
            out.println();
        }
        return 0;
    }

    private static Map<String, Object> json(Defense defense) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", defense.name());
        json.put("description", defense.description());
        json.put("parameters", defense.parameters().stream().map(p -> {
            Map<String, Object> parameter = new LinkedHashMap<>();
            parameter.put("name", p.name());
            parameter.put("type", p.type().label());
            parameter.put("default", p.defaultValue());
            parameter.put("allowed", p.allowed());
            parameter.put("help", p.help());
            return parameter;
        }).toList());
        return json;
    }

    private static String shown(Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "-" : String.join(",", list.stream().map(DefensesCommand::shown).toList());
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        String text = String.valueOf(value);
        return text.isEmpty() ? "-" : text;
    }

    private static void printTable(PrintWriter out, List<List<String>> rows) {
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int c = 0; c < widths.length; c++) {
                line.append(' ').append(c == widths.length - 1 ? row.get(c) : pad(row.get(c), widths[c]));
            }
            out.println(line);
        }
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length() + 1);
    }
}
