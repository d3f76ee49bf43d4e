package io.dagctl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The rendered manifests against their schemas (npm kubernetes-models, @kubernetes-models/keda, prometheus-operator,
 * strimzi) and the Dockerfiles through dockerfile-utils. Needs `npm ci` in deploy/chart-tests (done by .ci/run);
 * skipped without it unless DAGCTL_REQUIRE_TOOLS=1.
 */
class NodeChecksTest {

    private static final Path HERE = Repo.root().resolve("deploy/chart-tests");

    @Test
    void renderedManifestsValidateForEveryValuesFile() throws Exception {
        requireNodeModules();
        List<String> command = new ArrayList<>(List.of("node", "validate-manifests.mjs"));
        try (Stream<String> files = ChartTest.valuesFiles()) {
            for (String values : files.toList()) {
                ChartTest.render(values);
                command.add("target/rendered/" + values);
            }
        }
        Result result = run(command);
        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains(" 0 invalid"), result.output());
    }

    @Test
    void dockerfilesLintClean() throws Exception {
        requireNodeModules();
        List<String> command = new ArrayList<>(List.of("node", "lint-dockerfiles.mjs"));
        try (Stream<Path> files = Files.list(Repo.root().resolve("docker"))) {
            files.filter(p -> p.getFileName().toString().endsWith("Dockerfile"))
                    .sorted()
                    .forEach(p -> command.add(p.toString()));
        }
        assertTrue(command.size() >= 7, "coordinator, worker and CLI images, JVM and native: " + command);
        Result result = run(command);
        assertEquals(0, result.exit(), result.output());
    }

    private static void requireNodeModules() {
        if (!Files.isDirectory(HERE.resolve("node_modules/kubernetes-models"))) {
            String hint = "run `npm ci` in deploy/chart-tests (needs node and npm)";
            if ("1".equals(System.getenv("DAGCTL_REQUIRE_TOOLS"))) {
                throw new AssertionError(hint);
            }
            Assumptions.abort(hint);
        }
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(HERE.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        return new Result(p.waitFor(), output);
    }
}
