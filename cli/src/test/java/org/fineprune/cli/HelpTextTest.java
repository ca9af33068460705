package org.fineprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's {@code --help} renders its text: picocli reads descriptions as format strings. */
class HelpTextTest {
    @Test
    void every_command_prints_its_help_without_a_format_warning() {
        Set<String> commands = new TreeSet<>(new CommandLine(new FinepruneCli()).getSubcommands().keySet());
        assertTrue(commands.contains("leaderboard") && commands.contains("sweep"), "commands: " + commands);
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        try {
            // picocli's tracer writes its warnings to System.err, not to the command's err writer.
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            for (String command : commands) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code = FinepruneCli.run(new String[] {command, "--help"}, new PrintWriter(out), new PrintWriter(err));
                assertEquals(0, code, command + ": " + err);
                assertTrue(out.toString().startsWith("Usage: fineprune " + command), command + ": " + out);
                assertFalse(out.toString().contains("%n"), command + " help shows a raw format string: " + out);
            }
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
    }
}
