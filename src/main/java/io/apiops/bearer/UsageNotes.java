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

    /** One noted use: when, from which client address (null if none) and with which user agent (null if none). */
    public record Use(Instant at, String address, String userAgent) {
    }

    /** The longest user agent kept; longer ones are cut. */
    static final int MAX_USER_AGENT = 256;

    /** When each recently noted token's next use is due to be noted again. */
    private final Map<String, Instant> nextDue = new ConcurrentHashMap<>();
    private final Map<String, Use> pending = new ConcurrentHashMap<>();
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
    public void note(String jti, String address, String userAgent) {
        if (isDue(jti)) {
            noteDue(jti, address, userAgent);
        }
    }

    /** Whether a use of {@code jti} now would be noted, so that the caller can skip working out its details. */
    public boolean isDue(String jti) {
        Instant due = nextDue.get(jti);
        return due == null || !clock.instant().isBefore(due);
    }

    /** Notes a use that {@link #isDue} has just said is due. */
    public void noteDue(String jti, String address, String userAgent) {
        Instant now = clock.instant();
        nextDue.put(jti, now.plus(precision));
        pending.put(jti, new Use(now, address, printable(userAgent)));
    }

    /** A user agent as it may be stored and shown: printable characters only, at most {@link #MAX_USER_AGENT}. */
    static String printable(String userAgent) {
        if (userAgent == null) {
            return null;
        }
        String clean = userAgent.replaceAll("[\\p{Cntrl}\\p{Cf}]", "").strip();
        if (clean.length() > MAX_USER_AGENT) {
            clean = clean.substring(0, Character.isHighSurrogate(clean.charAt(MAX_USER_AGENT - 1))
                    ? MAX_USER_AGENT - 1 : MAX_USER_AGENT);
        }
        return clean.isEmpty() ? null : clean;
    }

    /** Takes the uses noted since the last drain, and forgets notes older than the interval. */
    public Map<String, Use> drain() {
        Map<String, Use> batch = new HashMap<>();
        for (String jti : pending.keySet()) {
            Use use = pending.remove(jti);
            if (use != null) {
                batch.put(jti, use);
            }
        }
        Instant now = clock.instant();
        nextDue.values().removeIf(due -> !now.isBefore(due));
        return batch;
    }

    /** Puts back uses that could not be recorded, for the next drain; a newer use of the same token wins. */
    public void restore(Map<String, Use> uses) {
        uses.forEach((jti, use) -> pending.merge(jti, use, (a, b) -> a.at().isAfter(b.at()) ? a : b));
    }
}
