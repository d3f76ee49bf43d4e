package io.dagctl.cli.local;

import java.nio.file.Files;
import java.nio.file.Path;
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

    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private ClassDataArchives() {}

    static boolean training() {
        return "1".equals(System.getenv(TRAINING_ENV));
    }

    /**
     * The archive options of a Quarkus application started with {@code -jar quarkus-run.jar} from {@code appDir}: write
     * the trained archive when training, else start from it when it is there.
     */
    static List<String> forApplication(Path appDir) {
        if (training()) {
            return List.of("-XX:ArchiveClassesAtExit=" + appDir.resolve(TRAINED), QUIET.get(0), QUIET.get(1));
        }
        return use(appDir.resolve(TRAINED));
    }

    /**
     * The options that start a JVM from an archive when it is there. A JVM or class path the archive does not match
     * ignores it, silently; so does a class whose bytes changed since (the JVM compares each class file's checksum).
     */
    static List<String> use(Path archive) {
        return Files.isRegularFile(archive)
                ? List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", QUIET.get(0), QUIET.get(1))
                : List.of();
    }
}
