package io.apiops.bearer;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** The shared denylist ({@code revoked_token}) and the channel on which every replica hears of additions. */
@ApplicationScoped
public class RevocationRepository {

    /**
     * The channel on which every replica hears of revocations; the payload is {@code <jti> <exp epoch seconds>},
     * followed by {@code <chain>} for a token revoked by rotation.
     */
    static final String CHANNEL = "apiops_revocation";

    private final EntityManager entityManager;

    public RevocationRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Adds a token to the shared denylist and tells every replica, in the caller's transaction: PostgreSQL delivers
     * the notification only if that transaction commits.
     */
    void deny(UUID jti, Instant expiresAt, Instant now, UUID rotatedChain) {
        entityManager.createNativeQuery("""
                insert into revoked_token (jti, expires_at, revoked_at, chain_id) values (?1, ?2, ?3, ?4)
                on conflict (jti) do nothing""")
                .setParameter(1, jti)
                .setParameter(2, Timestamp.from(expiresAt))
                .setParameter(3, Timestamp.from(now))
                .setParameter(4, rotatedChain)
                .executeUpdate();
        String payload = jti + " " + expiresAt.getEpochSecond() + (rotatedChain == null ? "" : " " + rotatedChain);
        entityManager.createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, CHANNEL)
                .setParameter(2, payload)
                .getSingleResult();
    }

    /** The denylist entries that still matter: those whose token's {@code exp} is after {@code horizon}. */
    Map<String, RevokedTokens.Denied> listDenied(Instant horizon) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager
                .createNativeQuery("select cast(jti as text), expires_at, cast(chain_id as text) from revoked_token "
                        + "where expires_at > ?1")
                .setParameter(1, Timestamp.from(horizon))
                .getResultList();
        Map<String, RevokedTokens.Denied> denied = new HashMap<>(rows.size() * 2);
        for (Object[] row : rows) {
            UUID chain = row[2] == null ? null : UUID.fromString((String) row[2]);
            denied.put((String) row[0], new RevokedTokens.Denied(toInstant(row[1]), chain));
        }
        return denied;
    }

    /** Drops denylist entries of tokens whose {@code exp} is before {@code horizon}. */
    int prune(Instant horizon) {
        return entityManager.createNativeQuery("delete from revoked_token where expires_at < ?1")
                .setParameter(1, Timestamp.from(horizon))
                .executeUpdate();
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass().getName());
    }
}
