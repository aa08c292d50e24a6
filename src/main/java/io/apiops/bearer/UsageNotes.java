package io.apiops.bearer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.apiops.config.ApiopsConfig;

/**
 * The bearer check's note of each token's use, kept in memory so that no request waits for a database write: a use
 * is noted at most once per {@code apiops.token.last-used-precision} per token, and whoever records last use takes
 * the notes with {@link #drain()}.
 */
@Singleton
public class UsageNotes {

    private final Map<String, Instant> lastNoted = new ConcurrentHashMap<>();
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration precision;

    @Inject
    public UsageNotes(Clock clock, ApiopsConfig config) {
        this(clock, config.token().lastUsedPrecision());
    }

    public UsageNotes(Clock clock, Duration precision) {
        this.clock = clock;
        this.precision = precision;
    }

    /** The hot path: one map look-up, and a write to memory at most once per interval per token. */
    public void note(String jti) {
        Instant now = clock.instant();
        Instant last = lastNoted.get(jti);
        if (last != null && now.isBefore(last.plus(precision))) {
            return;
        }
        lastNoted.put(jti, now);
        pending.put(jti, now);
    }

    /** Takes the uses noted since the last drain, and forgets notes older than the interval. */
    public Map<String, Instant> drain() {
        Map<String, Instant> batch = new HashMap<>();
        for (String jti : pending.keySet()) {
            Instant usedAt = pending.remove(jti);
            if (usedAt != null) {
                batch.put(jti, usedAt);
            }
        }
        Instant horizon = clock.instant().minus(precision);
        lastNoted.values().removeIf(noted -> noted.isBefore(horizon));
        return batch;
    }

    /** Puts back uses that could not be recorded, for the next drain; a newer use of the same token wins. */
    public void restore(Map<String, Instant> uses) {
        uses.forEach((jti, usedAt) -> pending.merge(jti, usedAt, (a, b) -> a.isAfter(b) ? a : b));
    }
}
