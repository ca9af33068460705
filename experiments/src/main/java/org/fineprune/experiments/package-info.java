/** The experiment DSL: sweeps run into a run folder of records ({@code results.jsonl}), resumed and replayed. */
package org.fineprune.experiments;
