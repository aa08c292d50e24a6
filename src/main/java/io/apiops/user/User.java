package io.apiops.user;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

/**
 * An account that can obtain tokens. The entity owns its password and lockout transitions: nothing outside changes
 * {@code passwordHash}, {@code failedAttempts}, {@code lockedAt} or {@code lockedUntil} except through the methods
 * here.
 */
@Entity
@Table(name = "app_user")
public class User {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, updatable = false)
    private String username;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(name = "full_name")
    private String fullName;

    private String email;

    @Column(nullable = false)
    private boolean enabled;

    /**
     * Loaded when first read, in batches of the session's default size when many users are listed; a failed login
     * never reads them. No batch size of its own: one that differs from the session's default makes Hibernate build
     * a new collection loader for every single load, which cost a login a third of a millisecond.
     */
    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "user_role", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "role", nullable = false)
    private Set<String> roles = new TreeSet<>();

    @Column(name = "failed_attempts", nullable = false)
    private int failedAttempts;

    /** When the current lockout began; null while the account is not locked. */
    @Column(name = "locked_at")
    private Instant lockedAt;

    /** When the current lockout ends; null with {@code lockedAt} set means locked until an administrator unlocks. */
    @Column(name = "locked_until")
    private Instant lockedUntil;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "password_changed_at", nullable = false)
    private Instant passwordChangedAt;

    @Column(name = "last_login_at")
    private Instant lastLoginAt;

    protected User() {
    }

    public static User create(String username, String passwordHash, Collection<String> roles, boolean enabled,
            Instant now) {
        User user = new User();
        user.username = username;
        user.passwordHash = passwordHash;
        user.roles = new TreeSet<>(roles);
        user.enabled = enabled;
        user.createdAt = now;
        user.passwordChangedAt = now;
        return user;
    }

    /** True while a lockout is in force: from the lock until its end, or until an administrator unlocks. */
    public boolean isLocked(Instant now) {
        return lockedAt != null && (lockedUntil == null || now.isBefore(lockedUntil));
    }

    /**
     * Counts one failed password check and locks the account when the count reaches {@code maxFailures}.
     * <p>
     * Every wrong password counts, also while a lockout is in force, so that concurrent attempts are counted exactly.
     * A lockout that has run out starts a fresh count, so an account gets {@code maxFailures} tries again after each
     * lockout. A lockout in force is never extended by further failures.
     *
     * @param lockDuration how long the lock lasts; zero locks until {@link #unlock()}
     * @return true when this failure locked the account
     */
    public boolean recordFailedLogin(Instant now, int maxFailures, Duration lockDuration) {
        if (lockedAt != null && !isLocked(now)) {
            clearLockout();
        }
        failedAttempts++;
        if (lockedAt == null && failedAttempts >= maxFailures) {
            lockedAt = now;
            lockedUntil = lockDuration.isZero() ? null : now.plus(lockDuration);
            return true;
        }
        return false;
    }

    /** A good password on an account that is not locked: the failure count starts again from zero. */
    public void recordSuccessfulLogin(Instant now) {
        clearLockout();
        lastLoginAt = now;
    }

    /** An administrator's lock: in force until {@link #unlock()}, whatever the configured lockout duration. */
    public void lock(Instant now) {
        lockedAt = now;
        lockedUntil = null;
    }

    /** Ends any lockout and forgets past failures. */
    public void unlock() {
        clearLockout();
    }

    /** Sets a new password; it also ends any lockout, since whoever set it knows the password. */
    public void changePassword(String newHash, Instant now) {
        passwordHash = newHash;
        passwordChangedAt = now;
        clearLockout();
    }

    /**
     * Replaces the stored hash of the same password with one at the current parameters. Unlike
     * {@link #changePassword} the password itself is unchanged, so nothing else changes.
     */
    public void rehash(String newHash) {
        passwordHash = newHash;
    }

    private void clearLockout() {
        failedAttempts = 0;
        lockedAt = null;
        lockedUntil = null;
    }

    public void setFullName(String fullName) {
        this.fullName = fullName;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public void setRoles(Collection<String> roles) {
        this.roles.clear();
        this.roles.addAll(roles);
    }

    public Long id() {
        return id;
    }

    public String username() {
        return username;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public String fullName() {
        return fullName;
    }

    public String email() {
        return email;
    }

    public boolean enabled() {
        return enabled;
    }

    public Set<String> roles() {
        return Set.copyOf(roles);
    }

    public int failedAttempts() {
        return failedAttempts;
    }

    public Instant lockedUntil() {
        return lockedUntil;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant passwordChangedAt() {
        return passwordChangedAt;
    }

    public Instant lastLoginAt() {
        return lastLoginAt;
    }
}
