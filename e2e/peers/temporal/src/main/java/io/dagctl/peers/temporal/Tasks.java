package io.dagctl.peers.temporal;

import io.temporal.activity.ActivityInterface;
import io.temporal.failure.ApplicationFailure;
import java.io.File;
import java.io.IOException;

/** The activities: a shell command, or nothing at all. */
@ActivityInterface
public interface Tasks {

    /** Runs {@code bash -c command} with its output discarded; a non-zero exit fails the activity. */
    void shell(String command);

    /** An empty body. */
    void noop();

    final class Impl implements Tasks {
        private static final File DEV_NULL = new File("/dev/null");

        @Override
        public void shell(String command) {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", command)
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            int exit;
            try {
                exit = builder.start().waitFor();
            } catch (IOException e) {
                throw ApplicationFailure.newNonRetryableFailure("could not start bash: " + e.getMessage(), "StartFailed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApplicationFailure.newNonRetryableFailure("interrupted", "Interrupted");
            }
            if (exit != 0) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "command exited with " + exit + ": " + command, "NonZeroExit");
            }
        }

        @Override
        public void noop() {
        }
    }
}
