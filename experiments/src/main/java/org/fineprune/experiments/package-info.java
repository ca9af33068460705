/** The Picocli command line ({@code bin/fineprune}) and, later, the experiment DSL. */
package org.fineprune.experiments;
