package io.apiops.user;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
import io.apiops.password.PasswordPolicy;
import io.apiops.user.AccountEvent.FailureCause;
import io.apiops.user.AccountEvent.Type;
import io.apiops.user.UserRepository.StoredCredentials;
import io.apiops.user.UserViews.CreateUser;
import io.apiops.user.UserViews.UpdateUser;
import io.apiops.user.UserViews.UserView;

@ApplicationScoped
public class UserService {

    private final UserRepository users;
    private final FailedLoginLimit failedLogins;
    private final PasswordHasher hasher;
    private final ApiopsConfig.Lockout lockout;
    private final Clock clock;
    private final Event<AccountEvent> events;
    private final PasswordPolicy policy;
    private final Roles roles;
    private final Event<RolesChanged> roleChanges;

    public UserService(UserRepository users, FailedLoginLimit failedLogins, PasswordHasher hasher,
            PasswordPolicy policy, Roles roles, ApiopsConfig config, Clock clock, Event<AccountEvent> events,
            Event<RolesChanged> roleChanges) {
        this.roles = roles;
        this.roleChanges = roleChanges;
        this.users = users;
        this.failedLogins = failedLogins;
        this.hasher = hasher;
        this.policy = policy;
        this.lockout = config.lockout();
        this.clock = clock;
        this.events = events;
    }

    /**
     * Checks a username and password, records the outcome, and on success runs {@code grant} for the user.
     * <p>
     * Unknown user, wrong password, disabled and locked all end in the same {@link ApiException#badCredentials()},
     * and each costs one password hash and the same database work, so neither the answer nor its timing tells them
     * apart. A disabled or locked account fails, and is counted under its cause, whatever the password was: nothing
     * observable, metrics included, reveals whether a guess at a locked account's password was right.
     * <p>
     * Before any hash the client address takes a slot of the failed-login limit ({@link FailedLoginLimit}), in the
     * same round trip that reads the stored hash. The hash runs outside any transaction, so no connection or row lock
     * is held for its tens of milliseconds. The outcome is then recorded under the user's row lock: failures count
     * exactly however many attempts run at once and on however many replicas, and the enabled and lockout checks see
     * the state as of that moment. {@code grant} runs in that same transaction, so whatever it records cannot slip
     * past a concurrent disable or password change. Only once the login has succeeded is an outdated hash upgraded.
     * <p>
     * All of it runs in a login turn ({@link PasswordHasher#inLoginTurn}), so that no more logins hold or wait for
     * pooled connections than can make progress, however many are queued; the future completes with what
     * {@code grant} returned, or fails with the login's error.
     */
    public <T> CompletableFuture<T> authenticate(String username, String password, String clientKey, BooleanSupplier abandoned,
            Function<User, T> grant) {
        return hasher.inLoginTurn(() -> authenticateInTurn(username, password, clientKey, abandoned, grant),
                abandoned);
    }

    private <T> T authenticateInTurn(String username, String password, String clientKey, BooleanSupplier abandoned,
            Function<User, T> grant) {
        FailedLoginLimit.Candidate candidate = failedLogins.admit(username, clientKey);
        T granted;
        try {
            granted = verify(username, password, clientKey, candidate, abandoned, grant);
        } catch (ApiException e) {
            if (e.status() != 401) {
                // Overloaded or abandoned: not a failed login.
                failedLogins.release(clientKey, candidate.window());
            }
            throw e;
        } catch (RuntimeException e) {
            failedLogins.release(clientKey, candidate.window());
            throw e;
        }
        if (hasher.needsRehash(candidate.passwordHash())) {
            upgradeHash(candidate, password);
        }
        return granted;
    }

    private <T> T verify(String username, String password, String clientKey, FailedLoginLimit.Candidate candidate,
            BooleanSupplier abandoned, Function<User, T> grant) {
        if (candidate.userId() == null) {
            hasher.verifyDummy(password, abandoned);
            QuarkusTransaction.requiringNew().run(() -> recordUnknownUser(username));
            throw ApiException.badCredentials();
        }
        boolean matches = hasher.verify(password, candidate.passwordHash(), abandoned);
        return QuarkusTransaction.requiringNew()
                .call(() -> recordAttempt(candidate, matches, password, abandoned).map(user -> {
                    // a good login hands its failure slot back in the transaction that records it
                    failedLogins.releaseInTransaction(clientKey, candidate.window());
                    return grant.apply(user);
                }))
                .orElseThrow(ApiException::badCredentials);
    }

    private Optional<User> recordAttempt(FailedLoginLimit.Candidate candidate, boolean matches, String password,
            BooleanSupplier abandoned) {
        Optional<User> found = users.findByIdForUpdate(candidate.userId());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        User user = found.get();
        Instant now = clock.instant();
        // The account's state decides first, so the cause never depends on the password.
        FailureCause cause = stateRefusal(user, now);
        if (cause == null && (!matches || !stillMatches(user, candidate, password, abandoned))) {
            cause = FailureCause.WRONG_PASSWORD;
        }
        if (cause != null) {
            recordFailure(user, now, cause);
            return Optional.empty();
        }
        user.recordSuccessfulLogin(now);
        fire(Type.LOGIN_SUCCEEDED, user.id(), user.username(), null);
        return Optional.of(user);
    }

    /** Why an account refuses any password at this moment, whatever the password: disabled or locked; else null. */
    private static FailureCause stateRefusal(User user, Instant now) {
        return !user.enabled() ? FailureCause.DISABLED : user.isLocked(now) ? FailureCause.LOCKED : null;
    }

    /**
     * Whether a password that matched the hash read at admission still matches the account's hash now, under its row
     * lock. A hash changed meanwhile is verified again: a password change means the old password no longer counts,
     * but another login's upgrade of an outdated hash ({@link #upgradeHash}) stored the same password anew, and a
     * login that overlapped it is a good login. Only the logins that overlap a change pay for the second hash.
     */
    private boolean stillMatches(User user, FailedLoginLimit.Candidate candidate, String password,
            BooleanSupplier abandoned) {
        return user.passwordHash().equals(candidate.passwordHash())
                || hasher.verify(password, user.passwordHash(), abandoned);
    }

    /**
     * Stores the password of a good login again at the current hashing parameters, unless it was changed meanwhile.
     * A failed upgrade costs nothing but another try at the next good login.
     */
    private void upgradeHash(FailedLoginLimit.Candidate candidate, String password) {
        try {
            String upgraded = hasher.hash(password);
            QuarkusTransaction.requiringNew().run(() -> users.findByIdForUpdate(candidate.userId())
                    .filter(user -> user.passwordHash().equals(candidate.passwordHash()))
                    .ifPresent(user -> user.rehash(upgraded)));
        } catch (RuntimeException e) {
            Log.debugf("Password hash upgrade postponed: %s", e.getClass().getSimpleName());
        }
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

    /**
     * Counts a failed attempt on an existing account, whatever its cause: attempts on a locked or disabled account
     * count like wrong passwords, so the lockout's state moves the same whether or not the password was right.
     */
    private void recordFailure(User user, Instant now, FailureCause cause) {
        boolean lockedNow = user.recordFailedLogin(now, lockout.maxFailures(), lockout.duration());
        fire(Type.LOGIN_FAILED, user.id(), user.username(), cause.label());
        if (lockedNow) {
            Log.infof("Account '%s' locked after %d failed logins", user.username(), user.failedAttempts());
            fire(Type.LOCKED_OUT, user.id(), user.username(), "after " + user.failedAttempts() + " failed logins");
        }
    }

    /**
     * Runs {@code action} for a user who may be given tokens (exists, enabled, not locked), under the user's row lock,
     * so that nothing it records can slip past a concurrent disable or password change. A missing or disabled user's
     * bearer token no longer counts (401); a locked user's still does, for everything but new tokens (409 until the
     * lockout ends), so that failed logins by someone else do not make the owner's client discard a working token.
     */
    public <T> T withUsableUser(String username, Function<User, T> action) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            User user = users.findByUsernameForUpdate(username).filter(User::enabled)
                    .orElseThrow(ApiException::invalidToken);
            if (user.isLocked(clock.instant())) {
                throw ApiException.conflict("The account is locked after failed logins; no new token is made until "
                        + "the lockout ends");
            }
            return action.apply(user);
        });
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserView> list() {
        Instant now = clock.instant();
        return users.listByUsername().stream().map(user -> UserView.from(user, now, roles)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public UserView get(String username) {
        return UserView.from(require(users.findByUsername(username)), clock.instant(), roles);
    }

    public UserView create(CreateUser request) {
        policy.require("password", request.password(), request.username());
        String hash = hasher.hash(request.password());
        return QuarkusTransaction.requiringNew().call(() -> {
            if (users.existsByUsername(request.username())) {
                throw ApiException.duplicateName();
            }
            List<String> granted = request.roleNameList() == null ? List.of() : request.roleNameList();
            boolean enabled = request.enabled() == null || request.enabled();
            User user = User.create(request.username(), hash, granted, enabled, clock.instant());
            user.setFullName(request.fullName());
            user.setEmail(request.email());
            persistNew(user);
            fire(Type.USER_CREATED, user.id(), user.username(), "roles " + user.roles());
            return UserView.from(user, clock.instant(), roles);
        });
    }

    /**
     * Updates the given fields. Disabling a user ends the user's tokens; a role taken away leaves every one of them
     * at once ({@link RolesChanged}).
     */
    @Transactional
    public UserView update(String username, UpdateUser request) {
        boolean disabling = Boolean.FALSE.equals(request.enabled());
        boolean demoting = request.roleNameList() != null && !request.roleNameList().contains(Roles.ADMIN);
        if (disabling || demoting) {
            users.lockAdministrators();
        }
        User user = require(users.findByUsernameForUpdate(username));
        if (disabling || demoting) {
            requireAnotherAdministrator(user);
        }
        if (request.fullName() != null) {
            user.setFullName(request.fullName());
        }
        if (request.email() != null) {
            user.setEmail(request.email());
        }
        if (request.roleNameList() != null) {
            Set<String> before = user.roles();
            user.setRoles(request.roleNameList());
            if (!user.roles().equals(before)) {
                roleChanges.fire(new RolesChanged(user.username(), user.roles()));
            }
            if (!user.roles().containsAll(before)) {
                fire(Type.ROLE_REMOVED, user.id(), user.username(), "roles " + user.roles());
            }
        }
        if (request.enabled() != null) {
            boolean wasEnabled = user.enabled();
            user.setEnabled(request.enabled());
            if (wasEnabled && disabling) {
                fire(Type.USER_DISABLED, user.id(), user.username(), null);
            }
        }
        fire(Type.USER_UPDATED, user.id(), user.username(), null);
        return UserView.from(user, clock.instant(), roles);
    }

    /** An administrator sets a user's password; this also ends any lockout. */
    public UserView setPassword(String username, String password) {
        // Fail fast for an unknown user before spending a hash on it.
        get(username);
        policy.require("password", password, username);
        String hash = hasher.hash(password);
        return QuarkusTransaction.requiringNew().call(() -> {
            User user = require(users.findByUsernameForUpdate(username));
            user.changePassword(hash, clock.instant());
            fire(Type.PASSWORD_SET, user.id(), user.username(), null);
            return UserView.from(user, clock.instant(), roles);
        });
    }

    /** What a refused re-authentication or own password change answers, whichever of its causes it was. */
    public static final String CURRENT_PASSWORD_REFUSED =
            "The current password is not correct, or the account is locked after failed logins";

    /**
     * A user changes their own password. The current password is checked as {@link #reauthenticate} checks it: a
     * wrong one counts as a failed login, and a locked account cannot change its password whatever it sends; either
     * answers 400. The new password is hashed in every case, so the time of the answer does not tell which.
     */
    public UserView changeOwnPassword(String username, String currentPassword, String newPassword) {
        policy.require("newPassword", newPassword, username);
        StoredCredentials credentials = users.findCredentials(username).orElseThrow(ApiException::invalidToken);
        boolean matches = hasher.verify(currentPassword, credentials.passwordHash());
        String hash = hasher.hash(newPassword);
        Optional<UserView> changed = QuarkusTransaction.requiringNew().call(() -> {
            User user = users.findByIdForUpdate(credentials.id()).orElseThrow(ApiException::invalidToken);
            Instant now = clock.instant();
            if (!passesCurrentPassword(user, now, matches, credentials)) {
                return Optional.<UserView> empty();
            }
            user.changePassword(hash, now);
            fire(Type.PASSWORD_CHANGED, user.id(), user.username(), null);
            return Optional.of(UserView.from(user, now, roles));
        });
        return changed.orElseThrow(() -> ApiException.invalidRequest(CURRENT_PASSWORD_REFUSED));
    }

    /**
     * Checks a user's password again, for an operation that must not rest on a bearer token alone. The account's state
     * decides first, as at a login: a disabled or locked account fails whatever the password, and every failure is
     * counted as a failed login, so that a holder of the user's bearer token cannot use this to go on guessing past
     * the lockout, nor learn from the failure count whether a guess at a locked account's password was right.
     *
     * @return whether the password is the user's current one and the account may use it
     */
    public boolean reauthenticate(String username, String password) {
        StoredCredentials credentials = users.findCredentials(username).orElseThrow(ApiException::invalidToken);
        boolean matches = hasher.verify(password, credentials.passwordHash());
        return QuarkusTransaction.requiringNew().call(() -> {
            User user = users.findByIdForUpdate(credentials.id()).orElseThrow(ApiException::invalidToken);
            return passesCurrentPassword(user, clock.instant(), matches, credentials);
        });
    }

    /**
     * Under the user's row lock: whether a current password that {@code matches} the hash read before the lock lets
     * the user on. A refusal for the account's state or a wrong password is recorded as a failed login; a password
     * changed meanwhile is refused without counting, since the guess was right when it was made.
     */
    private boolean passesCurrentPassword(User user, Instant now, boolean matches, StoredCredentials credentials) {
        FailureCause cause = stateRefusal(user, now);
        if (cause == null && !matches) {
            cause = FailureCause.WRONG_PASSWORD;
        }
        if (cause != null) {
            recordFailure(user, now, cause);
            return false;
        }
        return user.passwordHash().equals(credentials.passwordHash());
    }

    /** An administrator locks an account until it is unlocked; its tokens stop working at once. */
    @Transactional
    public UserView lock(String username) {
        users.lockAdministrators();
        User user = require(users.findByUsernameForUpdate(username));
        requireAnotherAdministrator(user);
        user.lock(clock.instant());
        fire(Type.LOCKED, user.id(), user.username(), null);
        return UserView.from(user, clock.instant(), roles);
    }

    @Transactional
    public UserView unlock(String username) {
        User user = require(users.findByUsernameForUpdate(username));
        user.unlock();
        fire(Type.UNLOCKED, user.id(), user.username(), null);
        return UserView.from(user, clock.instant(), roles);
    }

    @Transactional
    public void delete(String username) {
        users.lockAdministrators();
        User user = require(users.findByUsernameForUpdate(username));
        requireAnotherAdministrator(user);
        fire(Type.USER_DELETED, user.id(), user.username(), null);
        users.deleteWithDependents(user);
    }

    /**
     * Refuses, with 409, to disable, delete, lock or demote {@code user} when it is the last active administrator:
     * the service must never be left without one. An active administrator holds {@code ROLE_ADMIN}, is enabled and is
     * not locked until an unlock (a lockout after failed logins ends by itself, so it does not count). The caller
     * holds {@link UserRepository#lockAdministrators()}, so two administrators removing each other at the same moment
     * are counted one after the other and one of them is refused.
     */
    private void requireAnotherAdministrator(User user) {
        if (isActiveAdministrator(user) && users.countActiveAdministratorsOtherThan(user.id()) == 0) {
            throw ApiException.conflict("The last enabled administrator cannot be disabled, deleted, locked or "
                    + "lose " + Roles.ADMIN);
        }
    }

    private boolean isActiveAdministrator(User user) {
        boolean lockedUntilUnlocked = user.isLocked(clock.instant()) && user.lockedUntil() == null;
        return user.enabled() && !lockedUntilUnlocked && user.roles().contains(Roles.ADMIN);
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
