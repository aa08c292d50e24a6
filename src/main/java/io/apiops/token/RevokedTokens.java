package io.apiops.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

import io.apiops.config.ApiopsConfig;
import io.apiops.user.AccountEvent;

/**
 * This replica's copy of the denylist: the jtis of revoked tokens that have not expired yet. The bearer check reads
 * only this map, so it needs no database round trip and keeps working while the database is away.
 * <p>
 * Entries arrive three ways: from this replica's own commits, from other replicas through LISTEN/NOTIFY, and from the
 * periodic reload. Revocation is permanent, so entries are only ever added, and removed once their token has
 * expired: memory is bounded by the revoked tokens still alive.
 */
@Singleton
public class RevokedTokens {

    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final PersonalTokenRepository tokens;
    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;
    private final Event<AccountEvent> events;
    private final Duration retention;

    public RevokedTokens(PersonalTokenRepository tokens, Clock clock, TransactionSynchronizationRegistry transactions,
            Event<AccountEvent> events, ApiopsConfig config) {
        this.tokens = tokens;
        this.clock = clock;
        this.transactions = transactions;
        this.events = events;
        this.retention = config.token().retention();
    }

    public boolean isRevoked(String jti) {
        return jti != null && revoked.containsKey(jti);
    }

    /**
     * Revokes a token in the caller's transaction: the record, the shared denylist and a notification to every
     * replica commit together, and this replica refuses the token as soon as they have.
     */
    void revoke(PersonalToken token, String why) {
        Instant now = clock.instant();
        if (token.revoke(now)) {
            tokens.deny(token.jti(), token.tokenExpiry(), now);
            addAfterCommit(token.jti().toString(), token.tokenExpiry());
            events.fire(new AccountEvent(AccountEvent.Type.TOKEN_REVOKED, token.owner().id(),
                    token.owner().username(), "token " + token.jti() + " (" + why + ")"));
        }
    }

    /** Deletes denylist entries of expired tokens, and records of tokens expired longer than the retention. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void prune() {
        Instant now = clock.instant();
        int removed = tokens.prune(now, now.minus(retention));
        if (removed > 0) {
            Log.infof("Pruned %d expired token records", removed);
        }
    }

    /** Adds an entry once the current transaction commits, without waiting for the notification to come back. */
    private void addAfterCommit(String jti, Instant expiresAt) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    add(jti, expiresAt);
                }
            }
        });
    }

    void add(String jti, Instant expiresAt) {
        if (expiresAt.isAfter(clock.instant())) {
            revoked.put(jti, expiresAt);
        }
    }

    /** Merges a full reload from the database and forgets entries whose tokens have expired. */
    void merge(Map<String, Instant> fromDatabase) {
        revoked.putAll(fromDatabase);
        Instant now = clock.instant();
        revoked.values().removeIf(expiresAt -> !expiresAt.isAfter(now));
    }

    int size() {
        return revoked.size();
    }
}
