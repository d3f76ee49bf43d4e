package io.dagctl.coordinator.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * Aborts the open transaction of a coordinator instance that died, at once, instead of leaving it to the broker's
 * transaction timeout. Until that transaction ends, the next owner of the dead instance's partitions cannot read their
 * committed positions (they are pending in it), so a failover waited for the timeout plus the broker's abort check.
 *
 * <p>After each rebalance this instance takes part in, it lists the application's ongoing transactions and fences those
 * of instances that are no longer members of the group ({@link Admin#fenceProducers}): the broker aborts them
 * immediately. A transactional id of Kafka Streams' exactly-once v2 is {@code <application id>-<process id>-<thread>},
 * and a member's client id {@code <application id>-<process id>-StreamThread-<n>-consumer}, so the two meet on the
 * process id. An instance that is alive but out of the group is a zombie whose partitions have moved; fencing it is what
 * Kafka would do at its next commit anyway. Any failure here (a broker without the API, missing ACLs) only leaves the
 * abort to the timeout, as before.
 */
final class DeadInstanceFencer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DeadInstanceFencer.class.getName());
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final int PROCESS_ID_LENGTH = 36;
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Map<String, Object> clientProperties;
    private final String applicationId;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "dead-instance-fencer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean pending = new AtomicBoolean();
    /** Used on the runner thread only. */
    private Admin admin;

    private volatile boolean warned;

    DeadInstanceFencer(Map<String, Object> clientProperties, String applicationId) {
        this.clientProperties = Map.copyOf(clientProperties);
        this.applicationId = applicationId;
    }

    /** Connects now, so that the first look after a death does not pay for it. */
    void start() {
        runner.execute(this::admin);
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(clientProperties);
        }
        return admin;
    }

    /** Looks for dead instances' transactions soon, on a thread of its own; a look already waiting covers this one. */
    void membershipChanged() {
        if (pending.compareAndSet(false, true)) {
            runner.execute(() -> {
                pending.set(false);
                fenceDeadInstances();
            });
        }
    }

    private void fenceDeadInstances() {
        try {
            admin();
            // transactions first: one begun by a member that joins between the two calls is then in both lists
            Collection<TransactionListing> ongoing = ongoingTransactions();
            Optional<Set<String>> live = liveProcesses();
            if (live.isEmpty()) {
                warnOnce("a member of group " + applicationId + " has a client id without a Kafka Streams process id"
                        + " (is client.id set?); dead instances' transactions are left to their timeout");
                return;
            }
            List<String> dead = deadTransactions(live.get(), ongoing);
            if (!dead.isEmpty()) {
                admin.fenceProducers(dead).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.log(
                        System.Logger.Level.INFO,
                        "aborted the open transaction(s) of coordinator instance(s) gone from the group: {0}",
                        dead);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            warnOnce("cannot fence dead coordinator instances' transactions (" + e.getMessage() + "); the broker"
                    + " aborts them when they time out. Fencing needs Describe on group " + applicationId
                    + ", and Describe and Write on the transactional ids " + applicationId + "-*");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The process ids of the group's members; empty when one's cannot be told (then nobody can be judged dead). */
    private Optional<Set<String>> liveProcesses() throws ExecutionException, InterruptedException, TimeoutException {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId))
                .describedGroups()
                .get(applicationId)
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Set<String> live = new HashSet<>();
        for (MemberDescription member : group.members()) {
            String process = processIdOf(member.clientId());
            if (process == null) {
                return Optional.empty();
            }
            live.add(process);
        }
        return Optional.of(live);
    }

    private Collection<TransactionListing> ongoingTransactions()
            throws ExecutionException, InterruptedException, TimeoutException {
        return admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                .all()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The application's ongoing transactions whose instance is not a member of the group. */
    List<String> deadTransactions(Set<String> liveProcesses, Collection<TransactionListing> ongoing) {
        return ongoing.stream()
                .map(TransactionListing::transactionalId)
                .filter(id -> {
                    String process = processIdOf(id);
                    return process != null && !liveProcesses.contains(process);
                })
                .sorted()
                .toList();
    }

    /** The process id in a Kafka Streams client or transactional id of this application, or null for another's. */
    String processIdOf(String id) {
        String prefix = applicationId + "-";
        int end = prefix.length() + PROCESS_ID_LENGTH;
        if (id == null || !id.startsWith(prefix) || id.length() <= end || id.charAt(end) != '-') {
            return null;
        }
        String process = id.substring(prefix.length(), end);
        return UUID_FORM.matcher(process).matches() ? process : null;
    }

    private void warnOnce(String message) {
        if (!warned) {
            warned = true;
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }

    @Override
    public void close() {
        runner.execute(() -> {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
                admin = null;
            }
        });
        runner.shutdown();
        try {
            runner.awaitTermination(CALL_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
