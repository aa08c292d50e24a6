package io.apiops.token;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;

import io.quarkus.hibernate.orm.panache.PanacheRepository;

@ApplicationScoped
public class PersonalTokenRepository implements PanacheRepository<PersonalToken> {

    /** The channel on which every replica hears of revocations; the payload is {@code <jti> <exp epoch seconds>}. */
    static final String CHANNEL = "apiops_revocation";

    public List<PersonalToken> listByOwnerName(String username) {
        return find("owner.username = ?1 order by createdAt desc, id desc", username).list();
    }

    public Optional<PersonalToken> findByJti(UUID jti) {
        return find("jti", jti).firstResultOptional();
    }

    public List<PersonalToken> listUnrevokedByOwner(long userId) {
        return find("owner.id = ?1 and revokedAt is null", userId).list();
    }

    /**
     * Adds a token to the shared denylist and tells every replica, in the caller's transaction: PostgreSQL delivers
     * the notification only if that transaction commits.
     */
    public void deny(UUID jti, Instant expiresAt, Instant now) {
        getEntityManager().createNativeQuery("""
                insert into revoked_token (jti, expires_at, revoked_at) values (?1, ?2, ?3)
                on conflict (jti) do nothing""")
                .setParameter(1, jti)
                .setParameter(2, Timestamp.from(expiresAt))
                .setParameter(3, Timestamp.from(now))
                .executeUpdate();
        getEntityManager().createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, CHANNEL)
                .setParameter(2, jti + " " + expiresAt.getEpochSecond())
                .getSingleResult();
    }

    /** The denylist entries that still matter: those whose token has not expired. */
    public Map<String, Instant> listDenied(Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager()
                .createNativeQuery("select cast(jti as text), expires_at from revoked_token where expires_at > ?1")
                .setParameter(1, Timestamp.from(now))
                .getResultList();
        Map<String, Instant> denied = new HashMap<>(rows.size() * 2);
        for (Object[] row : rows) {
            denied.put((String) row[0], toInstant(row[1]));
        }
        return denied;
    }

    /** Writes coalesced last-use instants in one statement; an instant never moves backwards. */
    public void recordUse(Map<UUID, Instant> lastUse) {
        if (lastUse.isEmpty()) {
            return;
        }
        UUID[] jtis = lastUse.keySet().toArray(UUID[]::new);
        Timestamp[] instants = new Timestamp[jtis.length];
        for (int i = 0; i < jtis.length; i++) {
            instants[i] = Timestamp.from(lastUse.get(jtis[i]));
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    update personal_token t set last_used_at = greatest(t.last_used_at, u.used_at)
                    from unnest(?, ?) as u(jti, used_at)
                    where t.jti = u.jti""")) {
                update.setArray(1, connection.createArrayOf("uuid", jtis));
                update.setArray(2, connection.createArrayOf("timestamptz", instants));
                update.executeUpdate();
            }
        });
    }

    /** Drops denylist entries of expired tokens and records of tokens that expired before {@code cutoff}. */
    public int prune(Instant now, Instant cutoff) {
        int denied = getEntityManager().createNativeQuery("delete from revoked_token where expires_at < ?1")
                .setParameter(1, Timestamp.from(now))
                .executeUpdate();
        long records = delete("expiresAt < ?1", cutoff);
        return denied + (int) records;
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
