package io.apiops.user;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepository;

@ApplicationScoped
public class UserRepository implements PanacheRepository<User> {

    /** What a login needs before any row is locked: a detached snapshot, so a later locked read sees fresh state. */
    public record StoredCredentials(long id, String passwordHash) {
    }

    public Optional<User> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    /** Loads the user and holds its row lock until the transaction ends: the way to change lockout state. */
    public Optional<User> findByUsernameForUpdate(String username) {
        return find("username", username).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** Counts a failed login by username in one statement; returns the rows changed, 0 for an unknown username. */
    public int incrementFailedAttempts(String username) {
        return update("failedAttempts = failedAttempts + 1 where username = ?1", username);
    }

    public Optional<User> findByIdForUpdate(long id) {
        return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE));
    }

    public Optional<StoredCredentials> findCredentials(String username) {
        return find("username", username).project(StoredCredentials.class).firstResultOptional();
    }

    public List<User> listByUsername() {
        return find("order by username").list();
    }

    /**
     * Deletes a user and, through the schema's {@code on delete cascade}, its roles and token records. Pending changes
     * are written first and the session cleared, since the entities that referred to the user are gone afterwards.
     */
    public void deleteWithDependents(User user) {
        long id = user.id();
        getEntityManager().flush();
        getEntityManager().clear();
        delete("id", id);
    }

    /**
     * Holds, until the transaction ends, the lock that every change which could take an administrator away takes
     * first: such changes run one at a time, and each one's count of the remaining administrators is exact.
     */
    public void lockAdministrators() {
        getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext('apiops.administrators'))")
                .getSingleResult();
    }

    /**
     * Users other than {@code id} who hold {@code ROLE_ADMIN}, are enabled and are not locked until an unlock. A
     * lockout with an end counts, since it ends by itself.
     */
    public long countActiveAdministratorsOtherThan(long id) {
        return getEntityManager().createQuery("select count(u) from User u join u.roles r where r = :admin "
                + "and u.enabled = true and (u.lockedAt is null or u.lockedUntil is not null) and u.id <> :id",
                Long.class)
                .setParameter("admin", Roles.ADMIN)
                .setParameter("id", id)
                .getSingleResult();
    }

    public boolean existsByUsername(String username) {
        return count("username", username) > 0;
    }
}
