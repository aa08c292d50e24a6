package io.apiops.bearer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import io.apiops.user.Roles;
import io.apiops.user.RolesChanged;

/**
 * This replica's copy of every user's current roles, so that the bearer check can intersect a token's roles with
 * its owner's at each use without a database query: an owner who loses a role loses it in every token at once.
 * <p>
 * A change reaches every replica through a notification sent in the transaction that made it, and a full reload
 * whenever the revocation listener (re)connects and at every resync. Roles outside the catalogue are left out. A user
 * this replica has not heard of yet (created a moment ago elsewhere) counts with the roles its token was issued with.
 * {@link #version()} moves with every change, so that identities derived from these roles know when to be derived
 * again.
 */
@Singleton
public class OwnerRoles {

    /** The channel of role changes; the payload is {@code {"u":"<username>","r":["<role>",...]}}. */
    static final String CHANNEL = "apiops_roles";

    private final Map<String, Set<String>> byUser = new ConcurrentHashMap<>();
    /** When each user's entry was last set from a change, so that a reload read before it does not undo it. */
    private final Map<String, Long> changedAt = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    private final Roles catalogue;

    public OwnerRoles(EntityManager entityManager, TransactionSynchronizationRegistry transactions, Roles catalogue) {
        this.entityManager = entityManager;
        this.transactions = transactions;
        this.catalogue = catalogue;
    }

    /** The user's roles, or null when this replica does not know the user. */
    Set<String> of(String username) {
        return byUser.get(username);
    }

    long version() {
        return version.get();
    }

    /** Tells every replica, this one included, once the current transaction commits. */
    void onRolesChanged(@Observes RolesChanged change) {
        Set<String> roles = known(change.roles());
        entityManager.createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, CHANNEL)
                .setParameter(2, new JsonObject().put("u", change.username()).put("r", new JsonArray(List.copyOf(roles)))
                        .encode())
                .getSingleResult();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    put(change.username(), roles);
                }
            }
        });
    }

    /** A notification from any replica. */
    void accept(String payload) {
        JsonObject change = new JsonObject(payload);
        JsonArray roles = change.getJsonArray("r");
        Set<String> held = new HashSet<>();
        for (int i = 0; i < roles.size(); i++) {
            held.add(roles.getString(i));
        }
        put(change.getString("u"), known(held));
    }

    /** Replaces this replica's copy with the database's. */
    @SuppressWarnings("unchecked")
    void reload() {
        long started = System.nanoTime();
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "select u.username, r.role from app_user u left join user_role r on r.user_id = u.id")
                .getResultList());
        Map<String, Set<String>> loaded = new HashMap<>();
        for (Object[] row : rows) {
            Set<String> roles = loaded.computeIfAbsent((String) row[0], name -> new HashSet<>());
            if (row[1] != null && catalogue.contains((String) row[1])) {
                roles.add((String) row[1]);
            }
        }
        boolean changed = false;
        for (Map.Entry<String, Set<String>> entry : loaded.entrySet()) {
            Long changedLast = changedAt.get(entry.getKey());
            if (changedLast == null || changedLast - started < 0) {
                Set<String> roles = Set.copyOf(entry.getValue());
                changed |= !roles.equals(byUser.put(entry.getKey(), roles));
            }
        }
        changed |= byUser.keySet().removeIf(user -> !loaded.containsKey(user) && !changedSince(user, started));
        changedAt.values().removeIf(at -> at - started < 0);
        if (changed) {
            version.incrementAndGet();
        }
    }

    private boolean changedSince(String username, long started) {
        Long at = changedAt.get(username);
        return at != null && at - started >= 0;
    }

    private void put(String username, Set<String> roles) {
        changedAt.put(username, System.nanoTime());
        if (!roles.equals(byUser.put(username, Set.copyOf(roles)))) {
            version.incrementAndGet();
        }
    }

    private Set<String> known(Set<String> roles) {
        return roles.stream().filter(catalogue::contains).collect(Collectors.toUnmodifiableSet());
    }
}
