package io.dagctl.coordinator.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
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

    private final Map<String, Object> clientProperties;
    private final String applicationId;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "dead-instance-fencer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean pending = new AtomicBoolean();
    private Admin admin;

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
            List<String> dead = deadTransactions(liveProcesses(), ongoingTransactions());
            if (!dead.isEmpty()) {
                admin.fenceProducers(dead).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.log(
                        System.Logger.Level.INFO,
                        "aborted the open transaction(s) of coordinator instance(s) gone from the group: {0}",
                        dead);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "could not fence dead instances' transactions; the broker aborts them when they time out",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Set<String> liveProcesses() throws ExecutionException, InterruptedException, TimeoutException {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId))
                .describedGroups()
                .get(applicationId)
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return group.members().stream()
                .map(MemberDescription::clientId)
                .map(this::processIdOf)
                .filter(id -> id != null)
                .collect(Collectors.toSet());
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
        if (id == null || !id.startsWith(prefix) || id.length() < prefix.length() + PROCESS_ID_LENGTH + 1) {
            return null;
        }
        String process = id.substring(prefix.length(), prefix.length() + PROCESS_ID_LENGTH);
        return id.charAt(prefix.length() + PROCESS_ID_LENGTH) == '-'
                        && process.chars().filter(c -> c == '-').count() == 4
                ? process
                : null;
    }

    @Override
    public void close() {
        runner.shutdownNow();
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
