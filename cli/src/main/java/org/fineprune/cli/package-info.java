/** The {@code fineprune} command line: one class per subcommand, a thin layer over the library. */
package org.fineprune.cli;
