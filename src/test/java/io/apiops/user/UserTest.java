package io.apiops.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.apiops.DefaultRoles;

class UserTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration FIFTEEN_MINUTES = Duration.ofMinutes(15);

    private static User user() {
        return User.create("alice", "$argon2id$stub", List.of(DefaultRoles.MANAGE_PROXIES), true, T0);
    }

    private static void fail(User user, int times, Instant at) {
        for (int i = 0; i < times; i++) {
            user.recordFailedLogin(at, 3, FIFTEEN_MINUTES);
        }
    }

    @Test
    void shouldStayUnlockedBelowTheThreshold() {
        User user = user();
        fail(user, 2, T0);
        assertThat(user.failedAttempts()).isEqualTo(2);
        assertThat(user.isLocked(T0)).isFalse();
    }

    @Test
    void shouldLockExactlyAtTheThreshold() {
        User user = user();
        fail(user, 2, T0);
        boolean locked = user.recordFailedLogin(T0, 3, FIFTEEN_MINUTES);
        assertThat(locked).isTrue();
        assertThat(user.isLocked(T0)).isTrue();
        assertThat(user.lockedUntil()).isEqualTo(T0.plus(FIFTEEN_MINUTES));
    }

    @Test
    void shouldStayLockedUntilTheLockoutEnds() {
        User user = user();
        fail(user, 3, T0);
        assertThat(user.isLocked(T0.plus(FIFTEEN_MINUTES).minusMillis(1))).isTrue();
        assertThat(user.isLocked(T0.plus(FIFTEEN_MINUTES))).isFalse();
    }

    @Test
    void shouldCountFailuresWhileLockedWithoutExtendingTheLock() {
        User user = user();
        fail(user, 3, T0);
        boolean lockedAgain = user.recordFailedLogin(T0.plusSeconds(60), 3, FIFTEEN_MINUTES);
        assertThat(lockedAgain).isFalse();
        assertThat(user.failedAttempts()).isEqualTo(4);
        assertThat(user.lockedUntil()).isEqualTo(T0.plus(FIFTEEN_MINUTES));
    }

    @Test
    void shouldStartAFreshCountAfterTheLockoutEnds() {
        User user = user();
        fail(user, 3, T0);
        Instant later = T0.plus(FIFTEEN_MINUTES).plusSeconds(1);
        boolean locked = user.recordFailedLogin(later, 3, FIFTEEN_MINUTES);
        assertThat(locked).isFalse();
        assertThat(user.failedAttempts()).isEqualTo(1);
        assertThat(user.isLocked(later)).isFalse();
    }

    @Test
    void shouldLockUntilUnlockedWhenTheDurationIsZero() {
        User user = user();
        for (int i = 0; i < 3; i++) {
            user.recordFailedLogin(T0, 3, Duration.ZERO);
        }
        assertThat(user.lockedUntil()).isNull();
        assertThat(user.isLocked(T0.plus(Duration.ofDays(3650)))).isTrue();
        user.unlock();
        assertThat(user.isLocked(T0)).isFalse();
        assertThat(user.failedAttempts()).isZero();
    }

    @Test
    void shouldResetTheCountOnSuccessfulLogin() {
        User user = user();
        fail(user, 2, T0);
        user.recordSuccessfulLogin(T0.plusSeconds(1));
        assertThat(user.failedAttempts()).isZero();
        assertThat(user.lastLoginAt()).isEqualTo(T0.plusSeconds(1));
        fail(user, 2, T0.plusSeconds(2));
        assertThat(user.isLocked(T0.plusSeconds(2))).isFalse();
    }

    @Test
    void shouldEndTheLockoutWhenThePasswordChanges() {
        User user = user();
        fail(user, 3, T0);
        user.changePassword("$argon2id$other", T0.plusSeconds(5));
        assertThat(user.isLocked(T0.plusSeconds(5))).isFalse();
        assertThat(user.failedAttempts()).isZero();
        assertThat(user.passwordChangedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void shouldKeepThePasswordDateWhenOnlyRehashing() {
        User user = user();
        user.rehash("$argon2id$stronger");
        assertThat(user.passwordHash()).isEqualTo("$argon2id$stronger");
        assertThat(user.passwordChangedAt()).isEqualTo(T0);
    }
}
