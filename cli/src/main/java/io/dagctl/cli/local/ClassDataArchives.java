package io.dagctl.cli.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class-data sharing archives the local cluster's JVMs start from, and their training. The build (cli/pom.xml)
 * trains the coordinator's and the worker's archives on a real {@code dagctl run} with {@link #TRAINING_ENV} set: each
 * service then writes every class it loaded, from boot to its graceful stop, into {@value #TRAINED} beside its jar.
 */
final class ClassDataArchives {

    /** Set to 1 by the build's training run. */
    static final String TRAINING_ENV = "DAGCTL_CDS_TRAINING";

    /** The archive a service writes when trained and starts from afterwards. */
    static final String TRAINED = "run-cds.jsa";

    private ClassDataArchives() {}

    static boolean training() {
        return "1".equals(System.getenv(TRAINING_ENV));
    }

    /**
     * The archive options of a Quarkus application started with {@code -jar quarkus-run.jar} from {@code appDir}: write
     * the trained archive when training, else start from it when it is there.
     */
    static List<String> forApplication(Path appDir) {
        Path trained = appDir.resolve(TRAINED);
        return training() ? quietly("-XX:ArchiveClassesAtExit=" + trained) : use(trained);
    }

    /**
     * The options that start a JVM from an archive when it is there. A JVM or class path the archive does not match
     * ignores it, silently; so does a class whose bytes changed since (the JVM compares each class file's checksum).
     */
    static List<String> use(Path archive) {
        return Files.isRegularFile(archive) ? quietly("-XX:SharedArchiveFile=" + archive, "-Xshare:auto") : List.of();
    }

    /** {@code options}, and no CDS messages: a mismatched or rewritten archive is not the user's concern. */
    private static List<String> quietly(String... options) {
        List<String> all = new ArrayList<>(List.of(options));
        all.add("-Xlog:cds=off");
        all.add("-Xlog:cds+dynamic=off");
        return all;
    }
}
