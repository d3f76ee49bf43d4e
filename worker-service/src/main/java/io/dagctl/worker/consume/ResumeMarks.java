package io.dagctl.worker.consume;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * What a committed dispatch offset says about the records after it, kept in the commit's metadata: up to which offset
 * ({@code end}) this worker had taken records, and which of them were not covered yet (not started, or started with
 * no report in Kafka). The partition's next owner runs those, skips the others up to {@code end} (they run or ran
 * here, and the coordinator watches them), and takes everything from {@code end} on as usual.
 *
 * <p>Form: {@code dagctl1;<end - committed>;<uncovered - committed, as ranges>}, e.g. {@code dagctl1;40;0,3-5,12}.
 * Metadata written by anything else means nothing is known beyond the committed offset.
 */
record ResumeMarks(long committed, long end, NavigableSet<Long> uncovered) {

    private static final String PREFIX = "dagctl1;";
    /** Kafka's default {@code offset.metadata.max.bytes} is 4096: stay well inside it. */
    static final int MAX_CHARS = 3000;
    /** More uncovered records than marks of {@link #MAX_CHARS} can name: the metadata is not ours. */
    private static final int MAX_UNCOVERED = 1_000_000;

    /** Nothing known beyond the committed offset: every record from it on runs. */
    static ResumeMarks none(long committed) {
        return new ResumeMarks(committed, committed, new TreeSet<>());
    }

    /** Whether the record at {@code offset} must run here. */
    boolean shouldRun(long offset) {
        return offset >= end || offset < committed || uncovered.contains(offset);
    }

    /**
     * The marks as commit metadata. When the uncovered offsets do not fit, the marks end at the first that does not:
     * records from there on are run by the next owner, as without marks.
     */
    String encode() {
        if (end <= committed) {
            return "";
        }
        StringBuilder ranges = new StringBuilder();
        long cut = end;
        List<long[]> runs = runs();
        for (long[] run : runs) {
            String piece = (ranges.length() == 0 ? "" : ",")
                    + (run[0] == run[1]
                            ? Long.toString(run[0] - committed)
                            : (run[0] - committed) + "-" + (run[1] - committed));
            if (PREFIX.length() + 20 + ranges.length() + piece.length() > MAX_CHARS) {
                cut = run[0];
                break;
            }
            ranges.append(piece);
        }
        return PREFIX + (cut - committed) + ";" + ranges;
    }

    static ResumeMarks decode(long committed, String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return none(committed);
        }
        try {
            String[] parts = metadata.substring(PREFIX.length()).split(";", -1);
            long span = Long.parseLong(parts[0]);
            if (span < 0) {
                return none(committed);
            }
            NavigableSet<Long> uncovered = new TreeSet<>();
            if (parts.length > 1 && !parts[1].isEmpty()) {
                for (String range : parts[1].split(",")) {
                    int dash = range.indexOf('-');
                    long from = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                    long to = dash < 0 ? from : Long.parseLong(range.substring(dash + 1));
                    if (from < 0 || to < from || to >= span || uncovered.size() + (to - from) >= MAX_UNCOVERED) {
                        return none(committed); // not marks this worker wrote: run everything, as without them
                    }
                    for (long o = from; o <= to; o++) {
                        uncovered.add(committed + o);
                    }
                }
            }
            return new ResumeMarks(committed, committed + span, uncovered);
        } catch (RuntimeException e) {
            return none(committed); // unreadable marks: run everything, as without them
        }
    }

    private List<long[]> runs() {
        List<long[]> runs = new ArrayList<>();
        for (long offset : uncovered) {
            if (!runs.isEmpty() && runs.get(runs.size() - 1)[1] == offset - 1) {
                runs.get(runs.size() - 1)[1] = offset;
            } else {
                runs.add(new long[] {offset, offset});
            }
        }
        return runs;
    }
}
