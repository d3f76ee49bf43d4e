package io.dagctl.worker.report;

/** What the poll loop sends besides results: records it cannot use, and the wait for everything sent so far. */
public interface ResultOutbox {

    /** Sends a record this worker cannot read to the dead-letter topic, with the reason. */
    void deadLetter(String key, byte[] value, String sourceTopic, String reason);

    /** Waits until every result sent so far is acknowledged by Kafka (or failed). */
    void flush();
}
