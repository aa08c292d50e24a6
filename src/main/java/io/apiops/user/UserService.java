package io.apiops.user;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

import io.apiops.config.ApiopsConfig;
import io.apiops.error.ApiException;
import io.apiops.password.PasswordHasher;
import io.apiops.user.AccountEvent.FailureCause;
import io.apiops.user.AccountEvent.Type;
import io.apiops.user.UserRepository.StoredCredentials;
import io.apiops.user.UserViews.CreateUser;
import io.apiops.user.UserViews.UpdateUser;
import io.apiops.user.UserViews.UserView;

@ApplicationScoped
public class UserService {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final ApiopsConfig.Lockout lockout;
    private final Clock clock;
    private final Event<AccountEvent> events;

    public UserService(UserRepository users, PasswordHasher hasher, ApiopsConfig config, Clock clock,
            Event<AccountEvent> events) {
        this.users = users;
        this.hasher = hasher;
        this.lockout = config.lockout();
        this.clock = clock;
        this.events = events;
    }

    /**
     * Checks a username and password, records the outcome, and on success runs {@code grant} for the user.
     * <p>
     * Unknown user, wrong password, disabled and locked all end in the same {@link ApiException#badCredentials()},
     * and each costs one password hash, so neither the answer nor its timing tells them apart.
     * <p>
     * The hash runs outside any transaction, so no connection or row lock is held for its tens of milliseconds. The
     * outcome is then recorded under the user's row lock: failures count exactly however many attempts run at once
     * and on however many replicas, and the enabled and lockout checks see the state as of that moment. {@code grant}
     * runs in that same transaction, so whatever it records cannot slip past a concurrent disable or password change.
     */
    public <T> T authenticate(String username, String password, BooleanSupplier abandoned, Function<User, T> grant) {
        Optional<StoredCredentials> stored = users.findCredentials(username);
        if (stored.isEmpty()) {
            hasher.verifyDummy(password, abandoned);
            QuarkusTransaction.requiringNew().run(() -> recordUnknownUser(username));
            throw ApiException.badCredentials();
        }
        StoredCredentials credentials = stored.get();
        boolean matches = hasher.verify(password, credentials.passwordHash(), abandoned);
        String upgradedHash = matches && hasher.needsRehash(credentials.passwordHash()) ? hasher.hash(password) : null;
        return QuarkusTransaction.requiringNew()
                .call(() -> recordAttempt(credentials, matches, upgradedHash).map(grant))
                .orElseThrow(ApiException::badCredentials);
    }

    private Optional<User> recordAttempt(StoredCredentials credentials, boolean matches, String upgradedHash) {
        Optional<User> found = users.findByIdForUpdate(credentials.id());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        User user = found.get();
        Instant now = clock.instant();
        if (!matches) {
            recordFailure(user, now);
            return Optional.empty();
        }
        // The hash may have changed while it was being verified; the old password no longer counts then.
        boolean stale = !user.passwordHash().equals(credentials.passwordHash());
        if (stale || !user.enabled() || user.isLocked(now)) {
            FailureCause cause = stale ? FailureCause.WRONG_PASSWORD
                    : !user.enabled() ? FailureCause.DISABLED : FailureCause.LOCKED;
            fire(Type.LOGIN_FAILED, user.id(), user.username(), cause.label());
            return Optional.empty();
        }
        user.recordSuccessfulLogin(now);
        if (upgradedHash != null) {
            user.rehash(upgradedHash);
        }
        fire(Type.LOGIN_SUCCEEDED, user.id(), user.username(), null);
        return Optional.of(user);
    }

    /**
     * The unknown-user counterpart of {@link #recordAttempt}: the same locked read and failure-count update (which
     * find nothing) and the same audit write in one transaction, so that the database work, like the hash, costs an
     * unknown user what it costs a known one.
     */
    private void recordUnknownUser(String username) {
        users.findByUsernameForUpdate(username);
        users.incrementFailedAttempts(username);
        fire(Type.LOGIN_FAILED, null, username, FailureCause.UNKNOWN_USER.label());
    }

    private void recordFailure(User user, Instant now) {
        boolean lockedNow = user.recordFailedLogin(now, lockout.maxFailures(), lockout.duration());
        fire(Type.LOGIN_FAILED, user.id(), user.username(), FailureCause.WRONG_PASSWORD.label());
        if (lockedNow) {
            Log.infof("Account '%s' locked after %d failed logins", user.username(), user.failedAttempts());
            fire(Type.LOCKED_OUT, user.id(), user.username(), "after " + user.failedAttempts() + " failed logins");
        }
    }

    /**
     * Runs {@code action} for a user who may hold tokens (exists, enabled, not locked), under the user's row lock, so
     * that nothing it records can slip past a concurrent disable or password change.
     */
    public <T> T withUsableUser(String username, Function<User, T> action) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            User user = users.findByUsernameForUpdate(username)
                    .filter(found -> found.enabled() && !found.isLocked(clock.instant()))
                    .orElseThrow(ApiException::invalidToken);
            return action.apply(user);
        });
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserView> list() {
        Instant now = clock.instant();
        return users.listByUsername().stream().map(user -> UserView.from(user, now)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public UserView get(String username) {
        return UserView.from(require(users.findByUsername(username)), clock.instant());
    }

    public UserView create(CreateUser request) {
        String hash = hasher.hash(request.password());
        return QuarkusTransaction.requiringNew().call(() -> {
            if (users.existsByUsername(request.username())) {
                throw ApiException.duplicateName();
            }
            List<String> roles = request.roleNameList() == null ? List.of() : request.roleNameList();
            boolean enabled = request.enabled() == null || request.enabled();
            User user = User.create(request.username(), hash, roles, enabled, clock.instant());
            user.setFullName(request.fullName());
            user.setEmail(request.email());
            persistNew(user);
            fire(Type.USER_CREATED, user.id(), user.username(), "roles " + user.roles());
            return UserView.from(user, clock.instant());
        });
    }

    /** Updates the given fields; disabling a user or taking a role away ends the user's tokens. */
    @Transactional
    public UserView update(String username, UpdateUser request) {
        User user = require(users.findByUsernameForUpdate(username));
        if (request.fullName() != null) {
            user.setFullName(request.fullName());
        }
        if (request.email() != null) {
            user.setEmail(request.email());
        }
        if (request.roleNameList() != null) {
            Set<String> before = user.roles();
            user.setRoles(request.roleNameList());
            if (!user.roles().containsAll(before)) {
                fire(Type.ROLE_REMOVED, user.id(), user.username(), "roles " + user.roles());
            }
        }
        if (request.enabled() != null) {
            boolean disabling = user.enabled() && !request.enabled();
            user.setEnabled(request.enabled());
            if (disabling) {
                fire(Type.USER_DISABLED, user.id(), user.username(), null);
            }
        }
        fire(Type.USER_UPDATED, user.id(), user.username(), null);
        return UserView.from(user, clock.instant());
    }

    /** An administrator sets a user's password; this also ends any lockout. */
    public UserView setPassword(String username, String password) {
        // Fail fast for an unknown user before spending a hash on it.
        get(username);
        String hash = hasher.hash(password);
        return QuarkusTransaction.requiringNew().call(() -> {
            User user = require(users.findByUsernameForUpdate(username));
            user.changePassword(hash, clock.instant());
            fire(Type.PASSWORD_SET, user.id(), user.username(), null);
            return UserView.from(user, clock.instant());
        });
    }

    /**
     * A user changes their own password. A wrong current password counts as a failed login, and a locked account
     * cannot change its password; either answers 400.
     */
    public UserView changeOwnPassword(String username, String currentPassword, String newPassword) {
        StoredCredentials credentials = users.findCredentials(username).orElseThrow(ApiException::invalidToken);
        boolean matches = hasher.verify(currentPassword, credentials.passwordHash());
        String hash = matches ? hasher.hash(newPassword) : null;
        Optional<UserView> changed = QuarkusTransaction.requiringNew().call(() -> {
            User user = users.findByIdForUpdate(credentials.id()).orElseThrow(ApiException::invalidToken);
            Instant now = clock.instant();
            if (!matches) {
                recordFailure(user, now);
                return Optional.<UserView> empty();
            }
            if (!user.passwordHash().equals(credentials.passwordHash()) || user.isLocked(now)) {
                return Optional.<UserView> empty();
            }
            user.changePassword(hash, now);
            fire(Type.PASSWORD_CHANGED, user.id(), user.username(), null);
            return Optional.of(UserView.from(user, now));
        });
        return changed.orElseThrow(() -> ApiException.invalidRequest("The current password is not correct"));
    }

    /** An administrator locks an account until it is unlocked; its tokens stop working at once. */
    @Transactional
    public UserView lock(String username) {
        User user = require(users.findByUsernameForUpdate(username));
        user.lock(clock.instant());
        fire(Type.LOCKED, user.id(), user.username(), null);
        return UserView.from(user, clock.instant());
    }

    @Transactional
    public UserView unlock(String username) {
        User user = require(users.findByUsernameForUpdate(username));
        user.unlock();
        fire(Type.UNLOCKED, user.id(), user.username(), null);
        return UserView.from(user, clock.instant());
    }

    @Transactional
    public void delete(String username) {
        User user = require(users.findByUsernameForUpdate(username));
        fire(Type.USER_DELETED, user.id(), user.username(), null);
        users.deleteWithDependents(user);
    }

    private void fire(Type type, Long userId, String username, String detail) {
        events.fire(new AccountEvent(type, userId, username, detail));
    }

    /**
     * Creates the first administrator when there is no user at all. Replicas starting together take an advisory
     * lock first, so exactly one of them creates it.
     *
     * @return true when the administrator was created
     */
    public boolean createFirstAdmin(String username, String password) {
        String hash = hasher.hash(password);
        return QuarkusTransaction.requiringNew().call(() -> {
            users.getEntityManager()
                    .createNativeQuery("select pg_advisory_xact_lock(hashtext('apiops.bootstrap-admin'))")
                    .getSingleResult();
            if (users.count() > 0) {
                return false;
            }
            User admin = User.create(username, hash, List.of(Roles.ADMIN), true, clock.instant());
            persistNew(admin);
            fire(Type.USER_CREATED, admin.id(), admin.username(), "bootstrap administrator");
            return true;
        });
    }

    private void persistNew(User user) {
        try {
            users.persistAndFlush(user);
        } catch (PersistenceException e) {
            if (e instanceof ConstraintViolationException || e.getCause() instanceof ConstraintViolationException) {
                throw ApiException.duplicateName();
            }
            throw e;
        }
    }

    private static User require(Optional<User> user) {
        return user.orElseThrow(() -> ApiException.notFound("User not found"));
    }
}
