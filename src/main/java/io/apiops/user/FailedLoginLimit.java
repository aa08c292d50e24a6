package io.apiops.user;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import io.apiops.config.ApiopsConfig;
import io.apiops.error.RateLimitedException;

/**
 * The failed-login limit per client address: at most {@code apiops.rate-limit.failures-per-minute} failed logins from
 * one address in each fixed minute, counted in PostgreSQL so that it is one limit across every replica.
 * <p>
 * Exact under concurrency: a login takes a failure slot <em>before</em> its password is hashed, in the same statement
 * that reads the account's stored hash, so the attempts in flight count against the limit too and a successful login
 * costs no extra round trip. A slot that turns out not to be a failure (a good password, an overloaded or abandoned
 * request) is handed back afterwards, off the request's path; until then the limit errs on the strict side.
 */
@ApplicationScoped
public class FailedLoginLimit {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    /** What a login needs before its hash: whether it may go on, and the account's id and hash (null if unknown). */
    public record Candidate(Instant window, Long userId, String passwordHash) {
    }

    private final EntityManager entityManager;
    private final ApiopsConfig.RateLimit config;
    private final Clock clock;

    public FailedLoginLimit(EntityManager entityManager, ApiopsConfig config, Clock clock) {
        this.entityManager = entityManager;
        this.config = config.rateLimit();
        this.clock = clock;
    }

    /**
     * Takes a failure slot for {@code clientKey} and reads the credentials of {@code username} in one statement.
     *
     * @throws RateLimitedException when the address has no slot left in this minute
     */
    Candidate admit(String username, String clientKey) {
        Instant now = clock.instant();
        Instant window = now.truncatedTo(ChronoUnit.MINUTES);
        if (!config.enabled()) {
            return credentials(username, window);
        }
        // A SELECT to the driver, so it runs outside any transaction, in autocommit: one round trip in all.
        Object[] row = (Object[]) entityManager.createNativeQuery("""
                with slot as (
                    insert into login_failure_window as w (client_key, window_start, failures)
                    values (:key, :window, 1)
                    on conflict (client_key, window_start) do update set failures = w.failures + 1
                    where w.failures < :limit
                    returning 1
                )
                select (select count(*) from slot), u.id, u.password_hash
                from (select 1) as one left join app_user u on u.username = :username
                """)
                .setParameter("key", clientKey)
                .setParameter("window", window)
                .setParameter("limit", config.failuresPerMinute())
                .setParameter("username", username)
                .getSingleResult();
        if (((Number) row[0]).intValue() == 0) {
            long retryAfter = Math.max(1, Duration.between(now, window.plus(WINDOW)).toSeconds() + 1);
            throw new RateLimitedException(Math.min(retryAfter, WINDOW.toSeconds()));
        }
        return new Candidate(window, row[1] == null ? null : ((Number) row[1]).longValue(), (String) row[2]);
    }

    private Candidate credentials(String username, Instant window) {
        // A list, not a stream: an open stream would hold its connection through the hash, until the request ends.
        List<?> rows = entityManager
                .createNativeQuery("select id, password_hash from app_user where username = :username")
                .setParameter("username", username)
                .getResultList();
        if (rows.isEmpty()) {
            return new Candidate(window, null, null);
        }
        Object[] row = (Object[]) rows.get(0);
        return new Candidate(window, ((Number) row[0]).longValue(), (String) row[1]);
    }

    /**
     * Hands a slot back in the caller's transaction: the attempt that took it succeeded. Part of the transaction that
     * records the good login, so it costs no connection or round trip of its own.
     */
    void releaseInTransaction(String clientKey, Instant window) {
        if (config.enabled()) {
            entityManager.createNativeQuery("""
                    update login_failure_window set failures = failures - 1
                    where client_key = :key and window_start = :window and failures > 0
                    """).setParameter("key", clientKey).setParameter("window", window).executeUpdate();
        }
    }

    /**
     * Hands a slot back on its own: the attempt that took it ended without an outcome (overload, a client gone, a
     * database error). On the caller's thread, so that it stays inside the caller's login turn and never queues for
     * a connection beyond it.
     */
    void release(String clientKey, Instant window) {
        if (!config.enabled()) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> releaseInTransaction(clientKey, window));
        } catch (RuntimeException e) {
            // The slot then stays taken until its minute ends: the limit errs on the strict side.
            Log.debugf("Could not hand back a failed-login slot: %s", e.getClass().getSimpleName());
        }
    }

    /** Forgets finished minutes; any replica may do it, and doing it twice is harmless. */
    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetOldWindows() {
        try {
            QuarkusTransaction.requiringNew().run(() -> entityManager
                    .createNativeQuery("delete from login_failure_window where window_start < :before")
                    .setParameter("before", clock.instant().minus(WINDOW.multipliedBy(2)))
                    .executeUpdate());
        } catch (RuntimeException e) {
            Log.debugf("Could not forget old failed-login windows: %s", e.getClass().getSimpleName());
        }
    }
}
