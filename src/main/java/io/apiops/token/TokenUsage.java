package io.apiops.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import io.apiops.config.ApiopsConfig;

/**
 * Records when each token was last used without a database write per request: a use is noted in memory at most once
 * per {@code apiops.token.last-used-precision}, and the notes are written in one batch per interval.
 */
@Singleton
public class TokenUsage {

    /** Tokens this service issued have UUID jtis; anything else has no record to update. */
    private static final Pattern UUID_TEXT = Pattern.compile("\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}");

    private final Map<String, Instant> lastNoted = new ConcurrentHashMap<>();
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();
    private final PersonalTokenRepository tokens;
    private final Clock clock;
    private final Duration precision;

    @Inject
    public TokenUsage(PersonalTokenRepository tokens, Clock clock, ApiopsConfig config) {
        this(tokens, clock, config.token().lastUsedPrecision());
    }

    TokenUsage(PersonalTokenRepository tokens, Clock clock, Duration precision) {
        this.tokens = tokens;
        this.clock = clock;
        this.precision = precision;
    }

    /** The hot path: one map look-up, and a write to memory at most once per interval per token. */
    void used(String jti) {
        Instant now = clock.instant();
        Instant last = lastNoted.get(jti);
        if (last != null && now.isBefore(last.plus(precision))) {
            return;
        }
        lastNoted.put(jti, now);
        pending.put(jti, now);
    }

    /** Writes one batch in a transaction of its own. */
    void write(Map<UUID, Instant> batch) {
        QuarkusTransaction.requiringNew().run(() -> tokens.recordUse(batch));
    }

    @Scheduled(every = "${apiops.token.last-used-precision}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        Map<UUID, Instant> batch = new HashMap<>();
        for (String jti : pending.keySet()) {
            Instant usedAt = pending.remove(jti);
            if (usedAt != null && UUID_TEXT.matcher(jti).matches()) {
                batch.put(UUID.fromString(jti), usedAt);
            }
        }
        Instant horizon = clock.instant().minus(precision);
        lastNoted.values().removeIf(noted -> noted.isBefore(horizon));
        if (batch.isEmpty()) {
            return;
        }
        try {
            write(batch);
        } catch (RuntimeException e) {
            // Put them back for the next round; a newer use of the same token wins.
            batch.forEach((jti, usedAt) -> pending.merge(jti.toString(), usedAt, (a, b) -> a.isAfter(b) ? a : b));
            Log.warnf("Could not record token use (%s); retrying at the next interval", e.getClass().getSimpleName());
        }
    }
}
