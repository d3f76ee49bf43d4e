package io.dagctl.coordinator.engine;

/**
 * Makes sure a named queue's dispatch topic exists before the first dispatch to it: a dispatch to a topic that does not
 * exist would hold the stream thread until the producer gives up, and stop it. The API makes a DAG's queues before it
 * writes a run or a stored version, but retries, schedules, backfills, re-dispatches after a failover and a topic an
 * operator deleted all dispatch without the API; so the engine checks too, once per queue per instance.
 */
@FunctionalInterface
public interface DispatchTopics {

    /** For tests without a broker, and for the default queue's topic, which the provisioner makes at start. */
    DispatchTopics NONE = queue -> {};

    /**
     * @throws IllegalStateException naming the queue and why its topic cannot be made (the unit that dispatches to it
     *     is not applied, and its task fails with the reason)
     */
    void ensure(String queue);
}
