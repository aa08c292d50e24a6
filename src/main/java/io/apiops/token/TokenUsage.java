package io.apiops.token;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import io.apiops.bearer.UsageNotes;

/**
 * Records when, from where and with what each token was last used without a database write per request: the bearer check notes uses in memory
 * ({@link UsageNotes}), and the notes are written in one batch per {@code apiops.token.last-used-precision}.
 */
@Singleton
public class TokenUsage {

    /** Tokens this service issued have UUID jtis; anything else has no record to update. */
    private static final Pattern UUID_TEXT = Pattern.compile("\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}");

    private final PersonalTokenRepository tokens;
    private final UsageNotes notes;

    public TokenUsage(PersonalTokenRepository tokens, UsageNotes notes) {
        this.tokens = tokens;
        this.notes = notes;
    }

    /** Writes one batch in a transaction of its own. */
    void write(Map<UUID, UsageNotes.Use> batch) {
        QuarkusTransaction.requiringNew().run(() -> tokens.recordUse(batch));
    }

    @Scheduled(every = "${apiops.token.last-used-precision}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        Map<String, UsageNotes.Use> noted = notes.drain();
        Map<UUID, UsageNotes.Use> batch = new HashMap<>();
        noted.forEach((jti, use) -> {
            if (UUID_TEXT.matcher(jti).matches()) {
                batch.put(UUID.fromString(jti), use);
            }
        });
        if (batch.isEmpty()) {
            return;
        }
        try {
            write(batch);
        } catch (RuntimeException e) {
            notes.restore(noted);
            Log.warnf("Could not record token use (%s); retrying at the next interval", e.getClass().getSimpleName());
        }
    }
}
