package io.apiops.token;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;

import io.quarkus.hibernate.orm.panache.PanacheRepository;

@ApplicationScoped
public class PersonalTokenRepository implements PanacheRepository<PersonalToken> {

    public List<PersonalToken> listByOwnerName(String username) {
        return find("owner.username = ?1 order by createdAt desc, id desc", username).list();
    }

    public Optional<PersonalToken> findByJti(UUID jti) {
        return find("jti", jti).firstResultOptional();
    }

    public List<PersonalToken> listUnrevokedByOwner(long userId) {
        return find("owner.id = ?1 and revokedAt is null", userId).list();
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

    /** Deletes the records of tokens that expired before {@code cutoff}. */
    public long prune(Instant cutoff) {
        return delete("expiresAt < ?1", cutoff);
    }
}
