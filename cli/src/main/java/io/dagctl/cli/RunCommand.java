package io.dagctl.cli;

import io.dagctl.cli.api.ApiException;
import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.cli.local.LocalCluster;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.Pools;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.report.RunReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one DAG on a local cluster started for it: an embedded Kafka broker, the coordinator and a "
                    + "worker with N slots. Prints a status table and exits 0 when every task succeeded, 1 when any "
                    + "did not, 2 when the DAG is invalid (nothing runs), 3 when the cluster could not start."
        },
        footer = {
            "",
            "Examples:",
            "  ./dagctl run -f examples/simple_dag.yaml -w 4",
            "  ./dagctl run -f examples/parallel_dag.yaml -w 8 -o json > report.json",
            "  ./dagctl run -f examples/params_dag.yaml --param day=2026-12-01 --param shards=4"
        })
public class RunCommand implements Callable<Integer> {

    enum Output {
        table,
        json
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--file"},
            required = true,
            description = "the DAG file (YAML or JSON)")
    Path file;

    @Option(
            names = {"-w", "--workers"},
            defaultValue = "4",
            description = "worker slots: how many tasks run at once (default: ${DEFAULT-VALUE})")
    int slots;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE})")
    Output output;

    @Option(
            names = "--param",
            description = "NAME=value, repeatable, checked against the DAG's params; every task sees it as"
                    + " DAGCTL_PARAM_NAME")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(
            names = "--pool",
            description = "NAME=SLOTS, repeatable: the size of a pool the DAG's tasks take (the cluster this starts has"
                    + " no pool set; a task whose pool has no size would wait for ever)")
    Map<String, Integer> pools = new LinkedHashMap<>();

    @Option(
            names = "--ui",
            description = "print the web UI's address and token, and keep the cluster up after the run until Enter"
                    + " or Ctrl-C, to look at the run in a browser")
    boolean ui;

    @Option(
            names = "--data-dir",
            description = "keep the cluster's data and logs here (default: a temporary directory, removed afterwards)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (slots < 1) {
            err.println("dagctl: -w/--workers must be at least 1, got " + slots);
            return ExitCodes.INVALID_INPUT;
        }
        Optional<DagFile> dag = DagFile.load(file, err);
        if (dag.isEmpty() || dag.get().params(params, err).isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        if (!poolsGiven(dag.get().dag(), err)) {
            return ExitCodes.INVALID_INPUT;
        }
        Path home =
                Path.of(System.getProperty("dagctl.home", ".")).toAbsolutePath().normalize();
        try (LocalCluster cluster = new LocalCluster(home, dataDir)) {
            Thread cleanup = new Thread(cluster::close, "dagctl-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            long started = System.nanoTime();
            try {
                cluster.start(slots, dag.get().dag(), step -> status(err, step));
            } catch (IOException | RuntimeException e) {
                err.println("dagctl: the local cluster did not start: " + e.getMessage());
                return ExitCodes.UNAVAILABLE;
            }
            if (!awaitReady(new CoordinatorClient(cluster.apiUrl(), null), cluster, err)) {
                return ExitCodes.UNAVAILABLE;
            }
            status(
                    err,
                    String.format(
                            "cluster ready in %.1f s (%s)", (System.nanoTime() - started) / 1e9, cluster.logHint()));
            String token;
            try {
                token = cluster.token();
            } catch (IOException e) {
                err.println(
                        "dagctl: the coordinator is up but wrote no API token to " + cluster.tokenFile() + ": " + e);
                return ExitCodes.UNAVAILABLE;
            }
            if (ui) {
                status(err, "web UI: " + cluster.apiUrl() + "/   (sign in with the token " + token + ")");
            }
            CoordinatorClient client = new CoordinatorClient(cluster.apiUrl(), token);
            RunReport report;
            try {
                for (Map.Entry<String, Integer> pool : pools.entrySet()) {
                    client.setPool(pool.getKey(), pool.getValue());
                    status(err, "pool '" + pool.getKey() + "': " + pool.getValue() + " slot(s)");
                }
                CoordinatorClient.Submission submission =
                        client.submit(dag.get().submissionText(), dag.get().submitsJson(), params, null);
                if (submission.runId() == null) {
                    submission.problems().forEach(p -> err.println(file + ":" + p));
                    return ExitCodes.INVALID_INPUT;
                }
                status(
                        err,
                        "run " + submission.runId() + " of DAG '"
                                + dag.get().dag().name() + "' submitted ("
                                + dag.get().dag().tasks().size() + " tasks, " + slots + " slots)");
                report = RunWatcher.follow(
                        client, submission.runId(), dag.get().dag().tasks().size(), err, cluster::deadServiceReport);
            } catch (ApiException e) {
                err.println("dagctl: " + e.getMessage());
                return e.exitCode();
            }
            if (report == null) {
                return ExitCodes.UNAVAILABLE;
            }
            RunWatcher.print(report, output == Output.json, out);
            if (ui) {
                out.flush();
                status(
                        err,
                        "the cluster stays up for the web UI at " + cluster.apiUrl() + "/ : press Enter to stop it");
                new java.io.BufferedReader(
                                new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                        .readLine();
            }
            Runtime.getRuntime().removeShutdownHook(cleanup);
            status(err, "stopping the local cluster");
            return report.status() == RunStatus.SUCCESS ? ExitCodes.SUCCESS : ExitCodes.RUN_FAILED;
        }
    }

    private boolean awaitReady(CoordinatorClient client, LocalCluster cluster, PrintWriter err)
            throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String dead = cluster.deadServiceReport();
            if (dead != null) {
                err.println("dagctl: " + dead);
                return false;
            }
            if (client.isReady()) {
                return true;
            }
            // a readiness check is one small request; a longer pause only adds to the wait
            Thread.sleep(50);
        }
        err.println("dagctl: the coordinator was not ready within " + READY_TIMEOUT.toSeconds() + " s; "
                + cluster.logHint());
        return false;
    }

    static void status(PrintWriter err, String message) {
        err.println("dagctl: " + message);
        err.flush();
    }

    /**
     * Every pool the DAG's tasks take has a size from {@code --pool}, large enough for each task's {@code pool_slots},
     * and every size given is valid; otherwise says which and false.
     */
    private boolean poolsGiven(DagSpec dag, PrintWriter err) {
        boolean ok = true;
        for (Map.Entry<String, Integer> pool : pools.entrySet()) {
            if (!Pools.isValid(pool.getKey())) {
                err.println("dagctl: --pool: invalid pool name '" + pool.getKey() + "': " + Pools.NAME_RULE
                        + " characters");
                ok = false;
            } else if (pool.getValue() == null || pool.getValue() < 1 || pool.getValue() > Pools.MAX_SLOTS) {
                err.println("dagctl: --pool " + pool.getKey() + ": the size must be 1 to " + Pools.MAX_SLOTS);
                ok = false;
            }
        }
        for (TaskSpec task : dag.tasks()) {
            if (task.pool() == null) {
                continue;
            }
            Integer size = pools.get(task.pool());
            if (size == null) {
                err.println("dagctl: " + file + ": task '" + task.name() + "' takes pool '" + task.pool()
                        + "', which has no size in the cluster `dagctl run` starts: give it with --pool " + task.pool()
                        + "=N");
                ok = false;
                continue;
            }
            if (size >= 1 && task.poolSlotsTaken() > size) {
                err.println("dagctl: " + file + ": task '" + task.name() + "' takes " + task.poolSlotsTaken()
                        + " slots of pool '" + task.pool() + "', which would have " + size
                        + ": it would wait for ever");
                ok = false;
            }
        }
        return ok;
    }
}
