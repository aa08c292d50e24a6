package io.apiops.user;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.requestToken;
import static io.apiops.TestUsers.strongPassword;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/**
 * The current password asked again by a bearer token's holder (for a token that outlives the caller's, or for a
 * password change) follows the login's rules on a locked account: refused whatever the password, and counted the same
 * whether it was right or wrong, so that a stolen bearer token cannot go on guessing past the lockout, nor read from
 * the failure count which guess was right. A locked owner's token still works, and asking it for a new token is a
 * conflict (409), not an invalid token (401) that would make the client throw away a token that works.
 */
@QuarkusTest
class ReauthenticationLockoutTest {

    @Inject
    TestUsers users;

    private int failedAttempts(String admin, TestUser user) {
        return bearer(admin).get("/apiops/users/" + user.username()).then().statusCode(200)
                .extract().path("failedAttempts");
    }

    /** Asks for a token that never expires, which needs the current password. */
    static Response createLasting(String login, String currentPassword) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "lasting");
        body.put("expireDate", null);
        body.put("currentPassword", currentPassword);
        return bearer(login).contentType("application/json").body(body).post("/apiops/auth/tokens/");
    }

    /** The caller changes their own password, giving {@code currentPassword}. */
    static Response changePassword(String login, String currentPassword) {
        return bearer(login).contentType("application/json")
                .body(Map.of("currentPassword", currentPassword, "newPassword", strongPassword()))
                .put("/apiops/auth/me/password");
    }

    @Test
    void shouldRefuseAndCountARightPasswordOnALockedAccountExactlyAsAWrongOne() {
        String admin = users.create(Roles.ADMIN).token();
        TestUser owner = users.create();
        String login = owner.token();
        users.lockOut(owner);

        int before = failedAttempts(admin, owner);
        List<Response> answers = List.of(createLasting(login, owner.password()),
                createLasting(login, "not-" + owner.password()));
        int after = failedAttempts(admin, owner);
        for (Response answer : answers) {
            answer.then().statusCode(403)
                    .body("error", equalTo("reauthentication_required"))
                    .body("error_description", equalTo(UserService.CURRENT_PASSWORD_REFUSED));
        }
        assertThat(answers.get(0).asString()).isEqualTo(answers.get(1).asString());
        assertThat(after - before).isEqualTo(2);

        List<Response> changes = List.of(changePassword(login, owner.password()),
                changePassword(login, "not-" + owner.password()));
        for (Response change : changes) {
            change.then().statusCode(400)
                    .body("error", equalTo("invalid_request"))
                    .body("error_description", equalTo(UserService.CURRENT_PASSWORD_REFUSED));
        }
        assertThat(failedAttempts(admin, owner) - after).isEqualTo(2);

        // Nothing was made or changed: no lasting token, and once unlocked the old password still signs in.
        assertThat(bearer(login).get("/apiops/auth/tokens/").then().statusCode(200)
                .extract().<List<String>> path("resultList.name")).doesNotContain("lasting");
        bearer(admin).post("/apiops/users/" + owner.username() + "/unlock").then().statusCode(200);
        requestToken(owner.username(), owner.password()).then().statusCode(200);
    }

    @Test
    void shouldKeepALockedOwnersTokenWorkingAndAnswerItsNewTokenWithConflict() {
        TestUser owner = users.create();
        String login = owner.token();
        users.lockOut(owner);

        Map<String, Object> shortLived = Map.of("name", "short",
                "expireDate", Instant.now().plusSeconds(600).toString());
        bearer(login).contentType("application/json").body(shortLived).post("/apiops/auth/tokens/").then()
                .statusCode(409)
                .body("error", equalTo("conflict"));
        bearer(login).get("/apiops/auth/me").then().statusCode(200).body("locked", equalTo(true));
    }
}
