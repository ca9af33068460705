/**
 * The experiment DSL: sweeps run into a run folder of records ({@code results.jsonl}), resumed and
 * replayed; leaderboards of several sweeps over the Fashion-MNIST BadNets, with their expected time.
 */
package org.fineprune.experiments;
