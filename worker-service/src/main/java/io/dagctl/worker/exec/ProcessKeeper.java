package io.dagctl.worker.exec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure a task's processes end with the task, and with the worker. A small bash process (the keeper), in a
 * session of its own, is told of every task's process group: when a task's main process exits, whatever it left
 * running in its group gets SIGTERM, then SIGKILL after the grace; a process that left the group but still holds the
 * task's output is found by the task's {@code DAGCTL_ATTEMPT_ID} (and this worker's session) and killed. The keeper reads its orders from a pipe
 * the worker holds: when the worker dies, even by SIGKILL, the pipe closes, and the keeper kills every group it was
 * told of and every process with this worker process's {@code DAGCTL_WORKER_SESSION} (a random id, so that a
 * second worker on the host under the same worker id is never touched), then exits. Group signals go through the
 * keeper's built-in {@code kill}, so none costs a process.
 *
 * <p>Without bash or {@code setsid} there is no keeper: signals then go through the {@code kill} command and nothing
 * cleans up after a task or a dead worker (docs/architecture.md says what happens then).
 */
public final class ProcessKeeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ProcessKeeper.class.getName());

    /** The keeper: reads "op args" lines until EOF or "q"; see the class comment. */
    static final String SCRIPT = """
            set -u
            grace=$1 session=$2 jvm=$3
            declare -A groups
            # whether process $1 is (still) in process group $2
            in_group() {
              local line="" rest
              read -r -d '' line 2>/dev/null < "/proc/$1/stat"
              [[ -n $line ]] || return 1
              # after "pid (name) ": state, parent, group (the name may hold spaces, parentheses, newlines)
              rest=${line##*) }
              rest=${rest#* }
              rest=${rest#* }
              [[ ${rest%% *} == "$2" ]]
            }
            stop_group() {
              kill -0 -- "-$1" 2>/dev/null || return 0
              echo "dagctl-keeper: stopping what $2 left running (process group $1)" >&2
              local dir members=""
              for dir in /proc/[0-9]*; do
                in_group "${dir#/proc/}" "$1" && members+=" ${dir#/proc/}"
              done
              kill -TERM -- "-$1" 2>/dev/null
              # SIGKILL only if one of those processes is still in the group: never a group whose id was reused
              ( sleep "$grace"
                for pid in $members; do
                  if in_group "$pid" "$1"; then kill -KILL -- "-$1" 2>/dev/null; break; fi
                done ) &
            }
            # kills every process of this worker ($session), or only those of one attempt of it ($1)
            kill_marked() {
              local dir pid entry mine wanted
              for dir in /proc/[0-9]*; do
                pid=${dir#/proc/}
                [[ $pid == "$$" || $pid == "$BASHPID" || $pid == "$jvm" ]] && continue
                mine=0 wanted=0
                [[ -z ${1:-} ]] && wanted=1
                while IFS= read -r -d '' entry; do
                  [[ $entry == "DAGCTL_WORKER_SESSION=$session" ]] && mine=1
                  [[ -n ${1:-} && $entry == "DAGCTL_ATTEMPT_ID=$1" ]] && wanted=1
                done 2>/dev/null < "$dir/environ"
                if (( mine && wanted )); then
                  echo "dagctl-keeper: killing process $pid ${1:-of a stopped worker}" >&2
                  kill -KILL "$pid" 2>/dev/null
                fi
              done
            }
            while IFS=' ' read -r op a b; do
              case $op in
                +) groups[$a]=$b ;;
                -) unset "groups[$a]"; stop_group "$a" "$b" ;;
                k) kill "-$a" -- "-$b" 2>/dev/null ;;
                s) kill_marked "$a" ;;
                q) break ;;
              esac
            done
            for pgid in "${!groups[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null; done
            kill_marked ""
            exit 0
            """;

    private final Process keeper;
    private final OutputStream orders;
    private final String session;
    private volatile boolean broken;

    private ProcessKeeper(Process keeper, String session) {
        this.keeper = keeper;
        this.session = session;
        this.orders = keeper == null ? null : keeper.getOutputStream();
    }

    /** The id every task of this worker process carries as {@code DAGCTL_WORKER_SESSION}. */
    public String session() {
        return session;
    }

    /** A keeper for a worker, or one that only signals (no bash or setsid here). */
    public static ProcessKeeper start(Duration grace, Optional<Path> bash, Optional<Path> setsid) {
        String session = UUID.randomUUID().toString();
        if (bash.isEmpty() || setsid.isEmpty() || !Files.isDirectory(Path.of("/proc"))) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "no process keeper (it needs bash, setsid and /proc): processes a task leaves running are not"
                            + " stopped when it ends, nor when the worker dies");
            return new ProcessKeeper(null, session);
        }
        try {
            Process process = new ProcessBuilder(List.of(
                            setsid.get().toString(),
                            bash.get().toString(),
                            "-c",
                            SCRIPT,
                            "dagctl-keeper",
                            String.valueOf(Math.max(1, grace.toSeconds())),
                            session,
                            String.valueOf(ProcessHandle.current().pid())))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new ProcessKeeper(process, session);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not start the process keeper: {0}", e.getMessage());
            return new ProcessKeeper(null, session);
        }
    }

    /** Whether a keeper runs: task processes are then cleaned up after their task and after the worker. */
    public boolean isActive() {
        return keeper != null && !broken;
    }

    /** A task's process group (led by its main process) exists; it is stopped if the worker dies. */
    void watch(long pgid, String attemptId) {
        send("+ " + pgid + " " + attemptId);
    }

    /** The task's main process exited: whatever is left in its group is stopped (TERM, then KILL after the grace). */
    void ended(long pgid, String attemptId) {
        send("- " + pgid + " " + attemptId);
    }

    /** Kills the processes that carry the attempt's id but left its group (they hold its output open). */
    void killStrays(String attemptId) {
        send("s " + attemptId);
    }

    /** Sends {@code signal} (TERM, KILL) to a process group; false when there is no keeper to do it. */
    boolean signalGroup(long pgid, String signal) {
        return send("k " + signal + " " + pgid);
    }

    private synchronized boolean send(String order) {
        if (!isActive()) {
            return false;
        }
        try {
            orders.write((order + "\n").getBytes(StandardCharsets.UTF_8));
            orders.flush();
            return true;
        } catch (IOException e) {
            broken = true;
            LOG.log(
                    System.Logger.Level.ERROR,
                    "the process keeper is gone ({0}); task processes are no longer cleaned up",
                    e.getMessage());
            return false;
        }
    }

    /** Closes the keeper's pipe without a word, as the worker's death does (for tests). */
    void abandon() {
        broken = true;
        try {
            orders.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** The worker stops: every group the keeper knows and every process of this worker is killed. */
    @Override
    public void close() {
        if (keeper == null) {
            return;
        }
        send("q");
        try {
            orders.close();
            if (!keeper.waitFor(10, TimeUnit.SECONDS)) {
                keeper.destroyForcibly();
            }
        } catch (IOException e) {
            // the keeper is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
