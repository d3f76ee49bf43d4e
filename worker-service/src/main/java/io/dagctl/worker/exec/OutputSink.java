package io.dagctl.worker.exec;

/** Where a task's output goes besides its tail: for example the live log stream. */
public interface OutputSink {

    /** {@code data[0..length)} was read from {@code stream} ("stdout" or "stderr"); ends on a character boundary. */
    void write(String stream, byte[] data, int length);

    /** The attempt is over; nothing more will be written. */
    void end();

    OutputSink NONE = new OutputSink() {
        @Override
        public void write(String stream, byte[] data, int length) {}

        @Override
        public void end() {}
    };
}
