/**
 * Sweeps on several machines: {@link org.fineprune.distributed.Worker}, a Hazelcast member that runs
 * groups of points as tasks, and {@link org.fineprune.distributed.Cluster}, the {@link
 * org.fineprune.experiments.GroupExecutor} that submits a sweep's groups to such members and writes
 * their records in the order of a local run. The only module that carries Hazelcast.
 */
package org.fineprune.distributed;
