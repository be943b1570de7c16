package dev.ferry.serve;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API shows about a job beside its live status, and the times of day it runs at (which
 * the server schedules; a {@link dev.ferry.core.SyncJob} knows only intervals).
 *
 * @param source where files come from (no credentials)
 * @param destinations each destination's name in the job and where it is (no credentials)
 * @param mode copy, mirror or two-way
 * @param every the interval, if any
 * @param watch whether local changes trigger runs
 * @param at times of day (the server's zone) at which it runs
 */
public record JobSummary(String source, Map<String, String> destinations, String mode, Optional<Duration> every,
        boolean watch, List<LocalTime> at) {

    /** Copies. */
    public JobSummary {
        destinations = Map.copyOf(destinations);
        at = List.copyOf(at);
    }

    /** Nothing known beyond what the job itself reports. */
    public static JobSummary unknown() {
        return new JobSummary("", Map.of(), "", Optional.empty(), false, List.of());
    }
}
