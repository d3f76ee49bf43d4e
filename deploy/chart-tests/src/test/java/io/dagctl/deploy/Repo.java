package io.dagctl.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, found from the module directory Maven runs the tests in. */
final class Repo {

    private Repo() {}

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "not inside the dagctl repository: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path chart() {
        return root().resolve("deploy/helm/dagctl");
    }
}
