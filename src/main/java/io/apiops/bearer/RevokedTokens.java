package io.apiops.bearer;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;

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
    private final RevocationRepository denylist;
    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;

    public RevokedTokens(RevocationRepository denylist, Clock clock, TransactionSynchronizationRegistry transactions) {
        this.denylist = denylist;
        this.clock = clock;
        this.transactions = transactions;
    }

    public boolean isRevoked(String jti) {
        return jti != null && revoked.containsKey(jti);
    }

    /**
     * Denies a token in the caller's transaction: the shared denylist and a notification to every replica commit
     * with whatever else that transaction does, and this replica refuses the token as soon as they have.
     */
    public void deny(UUID jti, Instant expiresAt) {
        denylist.deny(jti, expiresAt, clock.instant());
        addAfterCommit(jti.toString(), expiresAt);
    }

    /** Deletes denylist entries of expired tokens. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void prune() {
        denylist.prune(clock.instant());
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
