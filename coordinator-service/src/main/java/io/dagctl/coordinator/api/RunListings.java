package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.engine.RunIndex;
import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.coordinator.query.RunListing;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.model.RunId;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunPage;
import io.dagctl.core.report.RunSummary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Run listings: each instance reads a page from its partitions' run index (newest first, filtered, after the
 * cursor), and the instance asked merges its own page with the other instances' pages. No run entry is decoded.
 */
@ApplicationScoped
public class RunListings {

    static final int MAX_LIMIT = 1000;
    /** How deep offset paging reaches; past it, the cursor pages. */
    static final int MAX_OFFSET_DEPTH = 10_000;

    private static final Pattern POSITION = Pattern.compile("\\d{19}/.+");
    private static final List<String> TRIGGERS = List.of(
            RunSubmitted.TRIGGER_MANUAL,
            RunSubmitted.TRIGGER_API,
            RunSubmitted.TRIGGER_SCHEDULE,
            RunSubmitted.TRIGGER_BACKFILL);

    private final CoordinatorLifecycle lifecycle;
    private final OwnerForwarder forwarder;

    public RunListings(CoordinatorLifecycle lifecycle, OwnerForwarder forwarder) {
        this.lifecycle = lifecycle;
        this.forwarder = forwarder;
    }

    /** What {@code GET /runs} was asked for, as sent. */
    record Query(
            String status,
            String dag,
            String trigger,
            String since,
            String until,
            String cursor,
            int limit,
            int offset,
            boolean local) {}

    Response list(Query query, String authorization) {
        RunIndex.RunFilter filter;
        try {
            filter = filter(query);
        } catch (IllegalArgumentException e) {
            return Problems.of(Response.Status.BAD_REQUEST, "Invalid run listing", e.getMessage());
        }
        // an instance asked for its share of a deep page lists up to the depth the instance asked can reach
        Response refused = PeerListings.refusal(
                lifecycle, query.limit(), query.offset(), query.local() ? MAX_OFFSET_DEPTH : MAX_LIMIT);
        if (refused != null) {
            return refused;
        }
        if (query.offset() > MAX_OFFSET_DEPTH) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid paging",
                    "offset + limit is at most " + MAX_OFFSET_DEPTH + "; page further with the cursor (next_cursor)");
        }
        int depth = query.offset() + query.limit();
        if (depth > MAX_OFFSET_DEPTH) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid paging",
                    "offset + limit is at most " + MAX_OFFSET_DEPTH + "; page further with the cursor (next_cursor)");
        }
        RunListing listing = lifecycle.engine().listing();
        boolean counted = filter.status() == null
                && filter.trigger() == null
                && filter.since() == null
                && filter.until() == null
                && filter.cursor() == null;
        List<RunSummary> all = new ArrayList<>(listing.local(filter, depth));
        Long total = counted ? listing.count(filter.dag()) : null;
        if (query.local()) {
            return Response.ok(Events.toJsonText(
                            new RunPage(all, total == null ? null : total.intValue(), depth, 0, null)))
                    .build();
        }
        for (RunPage page : PeerListings.fromOtherInstances(
                lifecycle,
                forwarder,
                "/api/v1/runs?scope=local&limit=" + depth + peerFilter(query),
                authorization,
                "runs",
                RunPage.class,
                List::of)) {
            all.addAll(page.runs());
            total = total == null || page.total() == null ? null : total + page.total();
        }
        all.sort(RunListing.NEWEST_FIRST);
        List<RunSummary> runs = all.subList(Math.min(query.offset(), all.size()), Math.min(depth, all.size()));
        String next = runs.size() == query.limit() ? cursor(runs.get(runs.size() - 1)) : null;
        return Response.ok(Events.toJsonText(new RunPage(
                        runs, total == null ? null : total.intValue(), query.limit(), query.offset(), next)))
                .build();
    }

    /** How many runs are in each status, across every instance. */
    public record StatusCounts(Map<RunStatus, Long> counts) {}

    private static final long COUNTS_KEPT_NANOS = 5_000_000_000L;
    private volatile StatusCounts localCounts;
    private volatile long localCountsAt;

    Response counts(boolean local, String authorization) {
        Response refused = PeerListings.refusal(lifecycle, 1, 0, 1);
        if (refused != null) {
            return refused;
        }
        long now = System.nanoTime();
        StatusCounts mine = localCounts;
        if (mine == null || now - localCountsAt > COUNTS_KEPT_NANOS) {
            // counting is a key scan per status and partition: kept a few seconds for pages refreshed every second
            mine = new StatusCounts(lifecycle.engine().listing().statusCounts());
            localCounts = mine;
            localCountsAt = now;
        }
        if (local) {
            return Response.ok(Events.toJsonText(mine)).build();
        }
        Map<RunStatus, Long> all = new EnumMap<>(mine.counts());
        for (StatusCounts peer : PeerListings.fromOtherInstances(
                lifecycle,
                forwarder,
                "/api/v1/runs/counts?scope=local",
                authorization,
                "run counts",
                StatusCounts.class,
                List::of)) {
            peer.counts().forEach((status, n) -> all.merge(status, n, Long::sum));
        }
        return Response.ok(Events.toJsonText(new StatusCounts(all))).build();
    }

    private static RunIndex.RunFilter filter(Query query) {
        RunStatus status = null;
        if (query.status() != null) {
            try {
                status = RunStatus.valueOf(query.status().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "status must be one of " + List.of(RunStatus.values()) + ", got '" + query.status() + "'");
            }
        }
        String trigger = blankToNull(query.trigger());
        if (trigger != null) {
            trigger = trigger.toLowerCase(Locale.ROOT);
            if (!TRIGGERS.contains(trigger)) {
                throw new IllegalArgumentException(
                        "trigger must be one of " + TRIGGERS + ", got '" + query.trigger() + "'");
            }
        }
        Instant since = ApiTimes.parseOptional("since", query.since());
        Instant until = ApiTimes.parseOptional("until", query.until());
        if (since != null && until != null && until.isBefore(since)) {
            throw new IllegalArgumentException("'until' (" + until + ") is before 'since' (" + since + ")");
        }
        return new RunIndex.RunFilter(
                status, blankToNull(query.dag()), trigger, since, until, position(query.cursor()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The cursor after a run: its place in the time order, base64url-encoded. */
    static String cursor(RunSummary run) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        RunIndex.position(run.submittedAt(), run.runId()).getBytes(StandardCharsets.UTF_8));
    }

    private static String position(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String position;
        try {
            position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            position = "";
        }
        if (!POSITION.matcher(position).matches() || !RunId.isValid(position.substring(20))) {
            throw new IllegalArgumentException(
                    "cursor '" + cursor + "' is not one this API gave out (take next_cursor of the previous page)");
        }
        return position;
    }

    private static String peerFilter(Query query) {
        StringBuilder q = new StringBuilder();
        append(q, "status", query.status());
        append(q, "dag", query.dag());
        append(q, "trigger", query.trigger());
        append(q, "since", query.since());
        append(q, "until", query.until());
        append(q, "cursor", query.cursor());
        return q.toString();
    }

    private static void append(StringBuilder query, String name, String value) {
        if (value != null && !value.isBlank()) {
            query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
