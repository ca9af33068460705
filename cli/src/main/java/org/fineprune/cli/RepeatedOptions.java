package org.fineprune.cli;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Names the option a user gave twice. Inside an argument group (the flags of {@code sweep}) picocli
 * reports a repeated single-value option as a dump of the whole group; this says which option it was.
 */
final class RepeatedOptions {
    private RepeatedOptions() {}

    /** {@code e}, or a one-line error naming the repeated option when that is what {@code e} is about. */
    static ParameterException explain(ParameterException e, String[] args) {
        if (!(e instanceof MaxValuesExceededException)) {
            return e;
        }
        return repeated(e.getCommandLine().getCommandSpec(), args)
                .map(name -> new ParameterException(e.getCommandLine(), "option " + name + " given more than once"))
                .orElse(e);
    }

    private static Optional<String> repeated(CommandSpec spec, String[] args) {
        List<OptionSpec> given = Arrays.stream(args).takeWhile(a -> !a.equals("--")).filter(a -> a.startsWith("-"))
                .map(a -> spec.findOption(a.split("=", 2)[0])).filter(Objects::nonNull).toList();
        return given.stream().filter(o -> !o.isMultiValue() && Collections.frequency(given, o) > 1)
                .map(OptionSpec::longestName).findFirst();
    }
}
