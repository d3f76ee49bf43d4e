package io.dagctl.e2e;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs some tests drive (Prometheus, promtool). Missing ones skip those tests on a developer's machine;
 * with DAGCTL_REQUIRE_TOOLS=1 (set by .ci/run, which installs them) a missing one fails the test instead.
 */
final class Tools {

    private Tools() {}

    static String path(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        String hint = program + " is not installed (Debian: apt-get install prometheus)";
        if ("1".equals(System.getenv("DAGCTL_REQUIRE_TOOLS"))) {
            throw new AssertionError(hint);
        }
        Assumptions.abort(hint);
        return null;
    }

    /** Runs a program to completion; returns its exit code and combined output. */
    static Result run(List<String> command, String stdin) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }

    record Result(int exitCode, String output) {}
}
