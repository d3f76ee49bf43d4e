package io.dagctl.coordinator.engine;

import java.time.Duration;
import java.time.Instant;

/** How far behind the partition's results are processed: zero when it keeps up (or is idle). */
@FunctionalInterface
public interface LagProbe {

    LagProbe NONE = now -> Duration.ZERO;

    Duration behind(Instant now);
}
