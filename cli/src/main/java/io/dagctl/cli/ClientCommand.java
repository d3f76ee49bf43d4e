package io.dagctl.cli;

import io.dagctl.cli.api.ApiException;
import io.dagctl.cli.api.CoordinatorClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the API: turns every {@link ApiException} into its one-line message and exit code. */
abstract class ClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public final Integer call() throws Exception {
        try {
            return run(
                    client.client(),
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        } catch (ApiException e) {
            spec.commandLine().getErr().println("dagctl: " + e.getMessage());
            return e.exitCode();
        }
    }

    abstract int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws ApiException, Exception;
}
