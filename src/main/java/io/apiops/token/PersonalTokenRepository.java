package io.apiops.token;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;

import org.hibernate.Session;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Parameters;

import io.apiops.bearer.UsageNotes;

@ApplicationScoped
public class PersonalTokenRepository implements PanacheRepository<PersonalToken> {

    /**
     * The filters of a token list; null leaves a filter out.
     *
     * @param owner the owner's exact username
     * @param active true: live tokens only (not revoked, not expired); false: ended ones only
     * @param named true: named tokens only; false: the token endpoint's only
     * @param expiringBefore tokens with an expiry before this instant
     * @param unusedSince tokens not used since this instant, never-used ones included
     */
    public record Inventory(String owner, Boolean active, Boolean named, Instant expiringBefore, Instant unusedSince) {
    }

    /** One page of the tokens matching {@code filter}, newest first, their owners fetched with them. */
    public List<PersonalToken> inventoryPage(Inventory filter, Instant now, int page, int size) {
        Parameters parameters = new Parameters();
        String where = where(filter, now, parameters);
        TypedQuery<PersonalToken> query = getEntityManager()
                .createQuery("select t from PersonalToken t join fetch t.owner o where " + where
                        + " order by t.createdAt desc, t.id desc", PersonalToken.class)
                .setFirstResult(page * size)
                .setMaxResults(size)
                .setHint("org.hibernate.readOnly", true);
        parameters.map().forEach(query::setParameter);
        return query.getResultList();
    }

    /** How many tokens match {@code filter}. */
    public long inventoryCount(Inventory filter, Instant now) {
        Parameters parameters = new Parameters();
        String where = where(filter, now, parameters);
        TypedQuery<Long> query = getEntityManager()
                .createQuery("select count(t) from PersonalToken t join t.owner o where " + where, Long.class);
        parameters.map().forEach(query::setParameter);
        return query.getSingleResult();
    }

    private static String where(Inventory filter, Instant now, Parameters parameters) {
        StringBuilder where = new StringBuilder("1 = 1");
        if (filter.owner() != null) {
            where.append(" and o.username = :owner");
            parameters.and("owner", filter.owner());
        }
        if (filter.active() != null) {
            where.append(filter.active()
                    ? " and t.revokedAt is null and (t.expiresAt is null or t.expiresAt > :now)"
                    : " and (t.revokedAt is not null or t.expiresAt <= :now)");
            parameters.and("now", now);
        }
        if (filter.named() != null) {
            where.append(filter.named() ? " and t.name <> :tokenEndpoint" : " and t.name = :tokenEndpoint");
            parameters.and("tokenEndpoint", TokenService.TOKEN_ENDPOINT);
        }
        if (filter.expiringBefore() != null) {
            where.append(" and t.expiresAt < :expiringBefore");
            parameters.and("expiringBefore", filter.expiringBefore());
        }
        if (filter.unusedSince() != null) {
            where.append(" and (t.lastUsedAt is null or t.lastUsedAt < :unusedSince)");
            parameters.and("unusedSince", filter.unusedSince());
        }
        return where.toString();
    }

    public Optional<PersonalToken> findByJti(UUID jti) {
        return find("jti", jti).firstResultOptional();
    }

    /** The token under its row lock, so that two rotations of it cannot both succeed. */
    public Optional<PersonalToken> findByJtiForUpdate(UUID jti) {
        return find("jti", jti).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /**
     * Takes the transaction-long lock of one rotation chain: rotations of its tokens, tokens joining it and its end
     * on a reuse run one after the other, each seeing what the one before committed.
     */
    public void lockChain(UUID chain) {
        getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext('apiops.chain'), hashtext(?1))")
                .setParameter(1, chain.toString())
                .getSingleResult();
    }

    public List<PersonalToken> listUnrevokedInChain(UUID chain) {
        return find("chainId = ?1 and revokedAt is null", chain).list();
    }

    /** Unexpired, unrevoked tokens of a user other than the token endpoint's, the ones its limit counts. */
    public long countLiveNamed(long userId, String tokenEndpointName, Instant now) {
        return count("owner.id = ?1 and name <> ?2 and revokedAt is null and (expiresAt is null or expiresAt > ?3)",
                userId, tokenEndpointName, now);
    }

    /**
     * Of a user's named tokens made after {@code since} (revoked ones included), when the one was made whose leaving the
     * window leaves room for one more under {@code limit}: the oldest when there are exactly {@code limit}, a later one
     * when there are more (after the limit was lowered). Empty when there is room now.
     */
    public Optional<Instant> namedCreatedFreeingRoom(long userId, String tokenEndpointName, Instant since, int limit) {
        String where = "where t.owner.id = ?1 and t.name <> ?2 and t.createdAt > ?3";
        long made = getEntityManager().createQuery("select count(t) from PersonalToken t " + where, Long.class)
                .setParameter(1, userId).setParameter(2, tokenEndpointName).setParameter(3, since)
                .getSingleResult();
        if (made < limit) {
            return Optional.empty();
        }
        return Optional.of(getEntityManager()
                .createQuery("select t.createdAt from PersonalToken t " + where + " order by t.createdAt", Instant.class)
                .setParameter(1, userId).setParameter(2, tokenEndpointName).setParameter(3, since)
                .setFirstResult((int) Math.min(made - limit, Integer.MAX_VALUE)).setMaxResults(1)
                .getSingleResult());
    }

    public List<PersonalToken> listUnrevokedByOwner(long userId) {
        return find("owner.id = ?1 and revokedAt is null", userId).list();
    }

    /**
     * Writes coalesced last uses in one statement; a last use never moves backwards, and its address and user agent
     * go with it.
     */
    public void recordUse(Map<UUID, UsageNotes.Use> lastUse) {
        if (lastUse.isEmpty()) {
            return;
        }
        UUID[] jtis = lastUse.keySet().toArray(UUID[]::new);
        Timestamp[] instants = new Timestamp[jtis.length];
        String[] addresses = new String[jtis.length];
        String[] agents = new String[jtis.length];
        for (int i = 0; i < jtis.length; i++) {
            UsageNotes.Use use = lastUse.get(jtis[i]);
            instants[i] = Timestamp.from(use.at());
            addresses[i] = use.address();
            agents[i] = use.userAgent();
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    update personal_token t set last_used_at = u.used_at, last_used_address = u.address,
                        last_used_user_agent = u.agent
                    from unnest(?, ?, ?, ?) as u(jti, used_at, address, agent)
                    where t.jti = u.jti and (t.last_used_at is null or t.last_used_at < u.used_at)""")) {
                update.setArray(1, connection.createArrayOf("uuid", jtis));
                update.setArray(2, connection.createArrayOf("timestamptz", instants));
                update.setArray(3, connection.createArrayOf("text", addresses));
                update.setArray(4, connection.createArrayOf("text", agents));
                update.executeUpdate();
            }
        });
    }

    /** Deletes the records of tokens that expired before {@code cutoff}. */
    public long prune(Instant cutoff) {
        return delete("expiresAt < ?1", cutoff);
    }
}
