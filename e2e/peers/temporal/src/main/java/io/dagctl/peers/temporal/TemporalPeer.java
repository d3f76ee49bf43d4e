package io.dagctl.peers.temporal;

import com.sun.management.OperatingSystemMXBean;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.Version;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Temporal peer of dagctl's benchmark harness: one measurement per invocation, on Temporal's in-memory test server
 * (real time, no time skipping), with the server, the client and one worker all in this JVM.
 *
 * <pre>
 * java -jar dagctl-peer-temporal.jar --workload chain|shell|noop|noop-local --tasks N [--slots S] [--command "CMD"]
 *      [--warmup W] [--noop-concurrency C] [--timeout-seconds T]
 * </pre>
 *
 * Prints exactly one JSON line on stdout, e.g.
 * {@code {"peer":"temporal","workload":"chain","tasks":1000,"slots":1,"seconds":20.3,"cpu_seconds":8.8}}:
 * {@code seconds} is the wall time of the timed part (from starting its workflow(s) to all of them completed),
 * {@code cpu_seconds} this JVM's CPU over the same span (server, client and worker; not the spawned bash processes).
 * Everything else goes to stderr. A failed task, bad arguments or the timeout exit non-zero.
 *
 * <p>Activity slots (the worker's maxConcurrentActivityExecutionSize, and the local-activity one): chain 1, shell S,
 * noop and noop-local C (default {@value #NOOP_CONCURRENCY}); as in the BullMQ peer, {@code --slots} is reported as
 * given and only sets the shell's concurrency.
 */
public final class TemporalPeer {

    static final String TASK_QUEUE = "dagctl-peer";
    static final Duration TASK_TIMEOUT = Duration.ofMinutes(30);
    /** One attempt: a failing task fails its workflow, and the peer, instead of being retried out of sight. */
    static final RetryOptions NO_RETRIES = RetryOptions.newBuilder().setMaximumAttempts(1).build();
    /**
     * Activity slots of the no-op workloads. A dagctl noop task takes no worker slot, a Temporal activity always takes
     * one; 50 is a high, fair value for empty bodies and the BullMQ peer's default (on two cores 8, 16, 50 and 200
     * slots ran 10,000 no-ops in about the same time, within the noise of a shared machine).
     */
    static final int NOOP_CONCURRENCY = 50;

    private static final String USAGE = "usage: java -jar dagctl-peer-temporal.jar --workload chain|shell|noop|noop-local"
            + " --tasks N [--slots S] [--command \"CMD\"] [--warmup W] [--noop-concurrency C] [--timeout-seconds T]";

    /** @param concurrency the activity slots actually used; {@code slots} is only reported (and sets the shell's) */
    record Options(String workload, int tasks, int slots, int concurrency, String command, int warmup,
            int timeoutSeconds) {

        static Options parse(String[] args) {
            String workload = null;
            String command = null;
            Integer tasks = null;
            Integer slots = null;
            Integer warmup = null;
            int noopConcurrency = NOOP_CONCURRENCY;
            int timeoutSeconds = 30 * 60;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--workload" -> workload = value;
                    case "--tasks" -> tasks = number(name, value, 1);
                    case "--slots" -> slots = number(name, value, 1);
                    case "--command" -> command = value;
                    case "--warmup" -> warmup = number(name, value, 0);
                    case "--noop-concurrency" -> noopConcurrency = number(name, value, 1);
                    case "--timeout-seconds" -> timeoutSeconds = number(name, value, 1);
                    default -> throw new IllegalArgumentException("unknown argument " + name);
                }
            }
            if (workload == null || !List.of("chain", "shell", "noop", "noop-local").contains(workload)) {
                throw new IllegalArgumentException("--workload must be chain, shell, noop or noop-local");
            }
            if (tasks == null) {
                throw new IllegalArgumentException("--tasks is required");
            }
            boolean runsCommand = workload.equals("chain") || workload.equals("shell");
            if (runsCommand && (command == null || command.isBlank())) {
                throw new IllegalArgumentException("--command is required for " + workload);
            }
            if (slots == null) {
                if (workload.equals("shell")) {
                    throw new IllegalArgumentException("--slots is required for shell");
                }
                slots = 1;
            }
            int concurrency = switch (workload) {
                case "chain" -> 1;
                case "shell" -> slots;
                default -> noopConcurrency;
            };
            if (warmup == null) {
                warmup = Math.min(tasks, Math.max(20, tasks / 10));
            }
            return new Options(workload, tasks, slots, concurrency, runsCommand ? command : "", warmup, timeoutSeconds);
        }

        private static int number(String name, String value, int min) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be an integer >= " + min + ", not " + value);
        }
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            log(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        startWatchdog(options.timeoutSeconds());
        String json;
        try {
            json = measure(options);
        } catch (Throwable e) {
            log(options.workload() + " failed: " + describe(e));
            System.exit(1);
            return;
        }
        System.out.println(json);
        System.out.flush();
        System.exit(0);
    }

    static String measure(Options options) {
        log("temporal-testing " + Version.LIBRARY_VERSION + ", in-memory test server in real time; " + options.workload()
                + ": " + options.tasks() + " tasks, activity slots " + options.concurrency() + ", warm-up "
                + options.warmup() + " tasks");
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false) // real time: timers and timeouts are not fast-forwarded
                .build());
        Worker worker = env.newWorker(TASK_QUEUE, WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(options.concurrency())
                .setMaxConcurrentLocalActivityExecutionSize(options.concurrency())
                .build());
        worker.registerWorkflowImplementationTypes(ChainWorkflow.Impl.class, FanOutWorkflow.Impl.class);
        worker.registerActivitiesImplementations(new Tasks.Impl());
        env.start();
        WorkflowClient client = env.getWorkflowClient();

        if (options.warmup() > 0) {
            run(client, options, options.warmup(), "warmup");
        }
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        int workflows = run(client, options, options.tasks(), "timed");
        long wallAfter = System.nanoTime();
        long cpuAfter = os.getProcessCpuTime();
        double seconds = (wallAfter - wallBefore) / 1e9;
        double cpuSeconds = (cpuAfter - cpuBefore) / 1e9;
        log(String.format(Locale.ROOT, "timed: %d tasks in %d workflow(s), %.3f s (%.3f ms per task, %.1f tasks/s),"
                        + " cpu %.3f s (%.3f ms per task)", options.tasks(), workflows, seconds,
                seconds * 1000 / options.tasks(), options.tasks() / seconds, cpuSeconds,
                cpuSeconds * 1000 / options.tasks()));

        env.close();
        return String.format(Locale.ROOT,
                "{\"peer\":\"temporal\",\"workload\":\"%s\",\"tasks\":%d,\"slots\":%d,\"seconds\":%.4f,\"cpu_seconds\":%.4f}",
                options.workload(), options.tasks(), options.slots(), seconds, cpuSeconds);
    }

    /** Starts the workload's workflow(s), waits for all of them (a failed one throws), returns how many there were. */
    private static int run(WorkflowClient client, Options options, int tasks, String phase) {
        List<WorkflowStub> started = new ArrayList<>();
        if (options.workload().equals("chain")) {
            ChainWorkflow chain = client.newWorkflowStub(ChainWorkflow.class, workflowOptions(phase + "-chain"));
            WorkflowClient.start(chain::run, tasks, options.command());
            started.add(WorkflowStub.fromTyped(chain));
        } else {
            // see FanOutWorkflow: at most 1,000 activities per workflow, all workflows started together
            for (int from = 0, i = 0; from < tasks; from += FanOutWorkflow.MAX_PER_WORKFLOW, i++) {
                int count = Math.min(FanOutWorkflow.MAX_PER_WORKFLOW, tasks - from);
                FanOutWorkflow fanOut = client.newWorkflowStub(FanOutWorkflow.class,
                        workflowOptions(phase + "-" + options.workload() + "-" + i));
                WorkflowClient.start(fanOut::run, options.workload(), count, options.command());
                started.add(WorkflowStub.fromTyped(fanOut));
            }
        }
        for (WorkflowStub stub : started) {
            stub.getResult(Void.class); // follows a chain's continue-as-new runs to the last one
        }
        return started.size();
    }

    private static WorkflowOptions workflowOptions(String workflowId) {
        return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(workflowId).build();
    }

    /** Ends the JVM (exit 3) if the whole invocation, shutdown included, has not ended within the timeout. */
    private static void startWatchdog(int timeoutSeconds) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(timeoutSeconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            log("timed out after " + timeoutSeconds + " s");
            Runtime.getRuntime().halt(3);
        }, "timeout-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void log(String message) {
        System.err.println("[temporal-peer] " + message);
    }

    /** E.g. "workflow timed-shell-0 failed: command exited with 1: false"; else the messages down the causes. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (e instanceof WorkflowFailedException failed && root instanceof ApplicationFailure application) {
            return "workflow " + failed.getExecution().getWorkflowId() + " failed: " + application.getOriginalMessage();
        }
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }
}
