package io.apiops.bearer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.Config;

import io.quarkus.scheduler.Scheduled;

/**
 * This replica's copy of the denylist: the jtis of revoked tokens that have not expired yet. The bearer check reads
 * only this map, so it needs no database round trip and keeps working while the database is away.
 * <p>
 * Entries arrive three ways: from this replica's own commits, from other replicas through LISTEN/NOTIFY, and from the
 * periodic reload. Revocation is permanent, so entries are only ever added, and removed once their token can no
 * longer verify, that is its {@code exp} plus the clock skew that verification forgives
 * ({@code mp.jwt.verify.clock.skew}): memory is bounded by the revoked tokens still alive, and a revoked token never
 * works again in the seconds after its {@code exp}.
 */
@Singleton
public class RevokedTokens {

    /**
     * A revoked token: when it stops verifying anyway, and for a token revoked by rotation the chain it belongs to,
     * so that presenting it again can end the chain.
     */
    record Denied(Instant expiresAt, UUID chain) {
    }

    private final Map<String, Denied> revoked = new ConcurrentHashMap<>();
    private final RevocationRepository denylist;
    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;
    private final Duration skew;

    public RevokedTokens(RevocationRepository denylist, Clock clock, TransactionSynchronizationRegistry transactions,
            Config config) {
        this.denylist = denylist;
        this.clock = clock;
        this.transactions = transactions;
        this.skew = Duration.ofSeconds(config.getOptionalValue("mp.jwt.verify.clock.skew", Integer.class).orElse(60));
    }

    /** The instant before which a token's {@code exp} lies if it can no longer verify. */
    Instant verifiableAfter() {
        return clock.instant().minus(skew);
    }

    public boolean isRevoked(String jti) {
        return jti != null && revoked.containsKey(jti);
    }

    /** The denylist entry of a token, or null when it is not revoked. */
    Denied denied(String jti) {
        return jti == null ? null : revoked.get(jti);
    }

    /**
     * Denies a token in the caller's transaction: the shared denylist and a notification to every replica commit
     * with whatever else that transaction does, and this replica refuses the token as soon as they have.
     *
     * @param rotatedChain for a token revoked because it was rotated, its chain; null otherwise
     */
    public void deny(UUID jti, Instant expiresAt, UUID rotatedChain) {
        denylist.deny(jti, expiresAt, clock.instant(), rotatedChain);
        addAfterCommit(jti.toString(), new Denied(expiresAt, rotatedChain));
    }

    /** Deletes denylist entries of expired tokens. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void prune() {
        denylist.prune(verifiableAfter());
    }

    /** Adds an entry once the current transaction commits, without waiting for the notification to come back. */
    private void addAfterCommit(String jti, Denied entry) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    add(jti, entry);
                }
            }
        });
    }

    /** Adds an entry; one that knows the token's rotation chain is never replaced by one that does not. */
    void add(String jti, Denied entry) {
        if (entry.expiresAt().isAfter(verifiableAfter())) {
            revoked.merge(jti, entry, (known, added) -> known.chain() != null ? known : added);
        }
    }

    /** Merges a full reload from the database and forgets entries whose tokens can no longer verify. */
    void merge(Map<String, Denied> fromDatabase) {
        fromDatabase.forEach(this::add);
        Instant horizon = verifiableAfter();
        revoked.values().removeIf(entry -> !entry.expiresAt().isAfter(horizon));
    }

    int size() {
        return revoked.size();
    }
}
