package io.apiops.user;

import static io.apiops.TestUsers.requestToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.apiops.ManagementInterface;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/**
 * The metrics of the management port as an oracle: for a locked or a disabled account, an attempt with the right
 * password and one with a wrong password must move every counter alike, or the lockout would stop limiting guesses.
 */
@QuarkusTest
class LoginMetricsTest {

    private static String metrics() {
        return ManagementInterface.url("/metrics");
    }

    @Inject
    TestUsers users;

    @Inject
    UserService service;

    @Test
    void shouldCountALockedAccountAsLockedWhateverThePassword() {
        TestUser user = users.create();
        service.lock(user.username());

        Map<String, Double> right = movedBy(() -> requestToken(user.username(), user.password()).then().statusCode(401));
        Map<String, Double> wrong = movedBy(() -> requestToken(user.username(), "not-the-password").then()
                .statusCode(401));

        assertThat(right).containsEntry("apiops_login_failures_total{cause=\"locked\"}", 1.0);
        assertThat(right).isEqualTo(wrong);
    }

    @Test
    void shouldCountADisabledAccountAsDisabledWhateverThePassword() {
        TestUser user = users.create(false);

        Map<String, Double> right = movedBy(() -> requestToken(user.username(), user.password()).then().statusCode(401));
        Map<String, Double> wrong = movedBy(() -> requestToken(user.username(), "not-the-password").then()
                .statusCode(401));

        assertThat(right).containsEntry("apiops_login_failures_total{cause=\"disabled\"}", 1.0);
        assertThat(right).isEqualTo(wrong);
    }

    /**
     * The current password asked again of a bearer token's holder (a lasting token, a password change) on a locked-out
     * account: right and wrong move every counter alike, so the metrics do not tell a right guess either.
     */
    @Test
    void shouldCountACurrentPasswordOnALockedOutAccountAsLockedWhateverItIs() {
        TestUser user = users.create();
        String login = user.token();
        users.lockOut(user);

        Map<String, Double> right = movedBy(() -> ReauthenticationLockoutTest.createLasting(login, user.password())
                .then().statusCode(403));
        Map<String, Double> wrong = movedBy(() -> ReauthenticationLockoutTest.createLasting(login, "not-the-password")
                .then().statusCode(403));
        assertThat(right).containsEntry("apiops_login_failures_total{cause=\"locked\"}", 1.0);
        assertThat(right).isEqualTo(wrong);

        Map<String, Double> rightChange = movedBy(() -> ReauthenticationLockoutTest.changePassword(login,
                user.password()).then().statusCode(400));
        Map<String, Double> wrongChange = movedBy(() -> ReauthenticationLockoutTest.changePassword(login,
                "not-the-password").then().statusCode(400));
        assertThat(rightChange).containsEntry("apiops_login_failures_total{cause=\"locked\"}", 1.0);
        assertThat(rightChange).isEqualTo(wrongChange);
    }

    @Test
    void shouldTellUnknownUsersFromWrongPasswordsOnlyByTheirCause() {
        TestUser user = users.create();
        Map<String, Double> wrong = movedBy(() -> requestToken(user.username(), "not-the-password").then()
                .statusCode(401));
        Map<String, Double> unknown = movedBy(() -> requestToken("nobody-" + user.username(), "x").then()
                .statusCode(401));

        assertThat(relabel(unknown, "unknown_user")).isEqualTo(relabel(wrong, "wrong_password"));
    }

    /** The counters (totals and histogram counts) of the service and its HTTP server that {@code attempt} moved. */
    private Map<String, Double> movedBy(Runnable attempt) {
        Map<String, Double> before = counters();
        attempt.run();
        Map<String, Double> after = counters();
        Map<String, Double> moved = new TreeMap<>();
        after.forEach((name, value) -> {
            double delta = value - before.getOrDefault(name, 0.0);
            if (delta != 0) {
                moved.put(name, delta);
            }
        });
        return moved;
    }

    private Map<String, Double> counters() {
        Map<String, Double> counters = new HashMap<>();
        for (String line : given().get(metrics()).then().statusCode(200).extract().asString().split("\n")) {
            if (line.startsWith("#") || !(line.startsWith("apiops_") || line.startsWith("http_server_requests"))) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, space);
            String base = name.contains("{") ? name.substring(0, name.indexOf('{')) : name;
            if (base.endsWith("_total") || base.endsWith("_count")) {
                counters.put(name, Double.parseDouble(line.substring(space + 1)));
            }
        }
        return counters;
    }

    private static Map<String, Double> relabel(Map<String, Double> moved, String cause) {
        Map<String, Double> relabelled = new TreeMap<>();
        moved.forEach((name, value) -> relabelled.put(name.replace("cause=\"" + cause + "\"", "cause=\"*\""), value));
        return relabelled;
    }
}
