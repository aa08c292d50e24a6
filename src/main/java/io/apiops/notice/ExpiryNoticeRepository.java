package io.apiops.notice;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import io.apiops.token.TokenService;

/**
 * The claims behind the expiry notices. A claim marks one notice of one token as sent, so that no other replica (and
 * no later sweep) sends it again; releasing it makes the notice due once more.
 */
@ApplicationScoped
public class ExpiryNoticeRepository {

    /** The two notices a named token gets, each with the column that records it and the rule that makes it due. */
    enum Notice {
        /** Due while the token expires within the notice window and has not expired yet. */
        EXPIRING("expiry_notice_sent_at", "p.expires_at > ? and p.expires_at <= ?"),
        /** Due once the token has expired, for as long as its record is kept. */
        EXPIRED("expired_notice_sent_at", "p.expires_at <= ?");

        private final String claimSql;
        private final String releaseSql;

        Notice(String column, String due) {
            // The column and the rule are constants of this enum, never input: the statements are fixed text.
            // The candidate is chosen in a CTE, which PostgreSQL runs exactly once: an IN (subquery ... LIMIT 1)
            // may be run again for each row of the outer update, and then claims every due row at once.
            this.claimSql = """
                    with next as (
                        select p.id from personal_token p join app_user o on o.id = p.user_id
                        where p.%1$s is null and p.revoked_at is null and p.name <> ? and p.id <> all(?)
                          and o.email is not null and o.email <> '' and %2$s
                        order by p.expires_at, p.id
                        limit 1
                        for update of p skip locked)
                    update personal_token t set %1$s = ?
                    from next, app_user u
                    where t.id = next.id and u.id = t.user_id and t.%1$s is null
                    returning t.id, t.jti, t.name, t.expires_at, u.id, u.username, u.email"""
                    .formatted(column, due);
            this.releaseSql = "update personal_token set %1$s = null where id = ?".formatted(column);
        }
    }

    /** A claimed notice: what the mail needs, and nothing of the token's value, which is never stored. */
    record Claim(long id, UUID jti, String name, Instant expiresAt, long ownerId, String username, String email) {
    }

    private final EntityManager entityManager;

    public ExpiryNoticeRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Claims one due notice and returns it, in the caller's transaction; empty when none is left. A named token only
     * (never one from the token endpoint), unrevoked, whose owner has an email address, and not one of {@code skip}.
     * Rows another transaction is claiming are skipped rather than waited for, so replicas sweeping at once share
     * the work and each notice is claimed once: the claim commits before the mail is sent.
     *
     * @param now the instant of the sweep, also recorded as the claim's time
     * @param horizon the end of the notice window, {@code now} plus {@code apiops.token.expiry-notice}
     */
    Optional<Claim> claimNext(Notice notice, Instant now, Instant horizon, Set<Long> skip) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement claim = connection.prepareStatement(notice.claimSql)) {
                int parameter = 1;
                claim.setString(parameter++, TokenService.TOKEN_ENDPOINT);
                claim.setArray(parameter++, connection.createArrayOf("bigint", skip.toArray(Long[]::new)));
                claim.setObject(parameter++, utc(now));
                if (notice == Notice.EXPIRING) {
                    claim.setObject(parameter++, utc(horizon));
                }
                claim.setObject(parameter, utc(now));
                try (ResultSet row = claim.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    Instant expiresAt = row.getObject(4, OffsetDateTime.class).toInstant();
                    return Optional.of(new Claim(row.getLong(1), row.getObject(2, UUID.class), row.getString(3),
                            expiresAt, row.getLong(5), row.getString(6), row.getString(7)));
                }
            }
        });
    }

    /** Makes a claimed notice due again, after its mail could not be sent. */
    void release(Notice notice, long id) {
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement release = connection.prepareStatement(notice.releaseSql)) {
                release.setLong(1, id);
                release.executeUpdate();
            }
        });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
