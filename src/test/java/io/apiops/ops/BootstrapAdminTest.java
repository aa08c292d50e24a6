package io.apiops.ops;

import static io.apiops.TestUsers.requestToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import io.apiops.IsolatedSchema;
import io.apiops.config.ApiopsConfig;
import io.apiops.user.UserRepository;

/** The first administrator meets the password policy, except the one dev mode seeds for itself. */
@QuarkusTest
@TestProfile(IsolatedSchema.class)
class BootstrapAdminTest {

    record Settings(Optional<String> username, Optional<String> password) implements ApiopsConfig.Bootstrap.Admin {

        static Settings of(String username, String password) {
            return new Settings(Optional.of(username), Optional.of(password));
        }
    }

    @Inject
    BootstrapAdmin bootstrap;

    @Inject
    UserRepository repository;

    @BeforeEach
    void noUsers() {
        QuarkusTransaction.requiringNew().run(() -> repository.getEntityManager()
                .createNativeQuery("delete from app_user").executeUpdate());
    }

    private long userCount() {
        return QuarkusTransaction.requiringNew().call(() -> repository.count());
    }

    @ParameterizedTest
    @ValueSource(strings = { "s3cret", "Password123!", "root-admin-1", "correct horse battery staple",
            "x\u0000xxxxxxxxxxxxx" })
    void shouldRefuseToStartOutsideDevModeWithAWeakPassword(String password) {
        for (LaunchMode mode : new LaunchMode[] { LaunchMode.NORMAL, LaunchMode.TEST }) {
            assertThatThrownBy(() -> bootstrap.create(Settings.of("root-admin", password), mode))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("apiops.bootstrap.admin.password breaks the password policy: it ")
                    .hasMessageNotContaining(password);
        }
        assertThat(userCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "admin\u200b", " admin", "ad\u202emin", "admin\u3164" })
    void shouldRefuseToStartWithAnInvisibleUsername(String username) {
        for (LaunchMode mode : LaunchMode.values()) {
            assertThatThrownBy(() -> bootstrap.create(Settings.of(username, "Bootstrap-Strong-Password-9"), mode))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("apiops.bootstrap.admin.username must not");
        }
        assertThat(userCount()).isZero();
    }

    @Test
    void shouldCreateTheAdministratorWithAStrongPasswordOnce() {
        assertThat(bootstrap.create(Settings.of("root-admin", "Bootstrap-Strong-Password-9"), LaunchMode.NORMAL))
                .isTrue();
        requestToken("root-admin", "Bootstrap-Strong-Password-9").then().statusCode(200);
        assertThat(bootstrap.create(Settings.of("other-admin", "Bootstrap-Strong-Password-8"), LaunchMode.NORMAL))
                .isFalse();
        assertThat(userCount()).isOne();
    }

    @Test
    void shouldCreateNobodyWithoutSettings() {
        assertThat(bootstrap.create(new Settings(Optional.empty(), Optional.of("x")), LaunchMode.NORMAL)).isFalse();
        assertThat(bootstrap.create(new Settings(Optional.of("x"), Optional.empty()), LaunchMode.NORMAL)).isFalse();
        assertThat(userCount()).isZero();
    }

    @Test
    void shouldRelaxThePolicyForTheDevAdministratorAndSaySo() {
        assertThat(bootstrap.create(Settings.of("admin", "admin"), LaunchMode.DEVELOPMENT)).isTrue();
        requestToken("admin", "admin").then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(Path.of("target", "test-service.log"))
                .contains("Dev mode: the seeded administrator's password breaks the password policy (it must be "
                        + "at least 12 characters long); accepted in dev mode only"));
    }
}
