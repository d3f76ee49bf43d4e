package io.dagctl.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built applications are: the e2e module runs after the reactor packaged them. */
public final class RepoPaths {

    private RepoPaths() {}

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("dagctl"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (the directory with ./dagctl) above "
                    + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    public static Path app(String module) {
        Path jar = root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the e2e tests through the reactor (./mvnw verify)");
        }
        return jar;
    }
}
