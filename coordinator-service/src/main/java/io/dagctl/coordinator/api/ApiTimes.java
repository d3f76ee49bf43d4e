package io.dagctl.coordinator.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Times as the API takes them in query parameters. */
final class ApiTimes {

    /** The latest time taken: far beyond any run, and within what keys of epoch milliseconds can hold. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private ApiTimes() {}

    /**
     * An ISO-8601 instant ({@code 2026-01-01T02:00:00Z}), a date-time without zone (UTC), or a date (its UTC start).
     *
     * @throws IllegalArgumentException naming the parameter and what it holds
     */
    static Instant parse(String field, String text) {
        Instant at = parseAny(field, text);
        if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
            throw new IllegalArgumentException("'" + field + "' is " + at + ", outside 1970-01-01 to "
                    + LATEST.toString().substring(0, 10));
        }
        return at;
    }

    private static Instant parseAny(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is missing (an ISO-8601 time such as"
                    + " 2026-01-01T00:00:00Z, or a date such as 2026-01-01)");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notDateTime) {
                try {
                    return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException("'" + field + "' is '" + text + "', not a time (ISO-8601 such"
                            + " as 2026-01-01T00:00:00Z, or a date such as 2026-01-01, read as UTC)");
                }
            }
        }
    }

    /** Like {@link #parse}, null for a missing value. */
    static Instant parseOptional(String field, String text) {
        return text == null || text.isBlank() ? null : parse(field, text);
    }
}
