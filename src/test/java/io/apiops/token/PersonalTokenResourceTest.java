package io.apiops.token;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.form;
import static io.apiops.TestUsers.requestToken;
import static io.apiops.TestUsers.strongPassword;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

import io.apiops.DefaultRoles;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;
import io.apiops.user.Roles;

/** Section 6: every token is a personal token, listed and revocable. */
@QuarkusTest
class PersonalTokenResourceTest {

    private static final String JSON_UTF8 = "application/json;charset=UTF-8";
    private static final String INSTANT = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Inject
    TestUsers users;

    @Inject
    TokenUsage usage;

    private static Response create(String token, Object expireDate) {
        return create(token, expireDate, null);
    }

    /** A token that outlives the bearer token asking for it needs the owner's current password. */
    private static Response create(TestUser owner, Object expireDate) {
        return create(owner.token(), expireDate, owner.password());
    }

    private static Response create(String token, Object expireDate, String currentPassword) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "ci pipeline");
        body.put("expireDate", expireDate);
        if (currentPassword != null) {
            body.put("currentPassword", currentPassword);
        }
        return bearer(token).contentType("application/json").body(body).post("/apiops/auth/tokens/");
    }

    private static void works(String token) {
        bearer(token).get("/apiops/test/hello/x").then().statusCode(200);
    }

    private static void refused(String token) {
        bearer(token).get("/apiops/test/hello/x").then().statusCode(401)
                .body(equalTo("{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid token\"}"));
    }

    private static String jti(String token) {
        return TestUsers.claim(token, "jti");
    }

    /**
     * A name reads as what it is in a list: nothing invisible, no white space but the plain space, not blank once
     * stripped, so that no named token passes for a token-endpoint one (or for another name) in an inventory.
     */
    @ParameterizedTest
    @ValueSource(strings = { "\u2003", "\u200b", "token endpoint\u200b", "token\u00a0endpoint", "token\u2003endpoint",
            "a\u202eb", "ci\u2060deploy", "\ufeffci" })
    void shouldRefuseBlankAndLookAlikeNames(String escaped) {
        String login = users.create().token();
        refusedBody(login, "{\"name\":\"" + escaped + "\",\"expireDate\":\""
                + Instant.now().plus(10, ChronoUnit.MINUTES) + "\"}", "name");
        assertOnlySignInTokens(login);
    }

    /** A token request with a raw JSON body, refused with 400 {@code validation_failed} naming {@code field}. */
    private static ValidatableResponse refusedBody(String login, String json, String field) {
        return bearer(login).contentType("application/json").body(json)
                .post("/apiops/auth/tokens/")
                .then()
                .statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("validation_errors.field", contains(field));
    }

    /** Nothing was made for the caller but sign-in tokens. */
    private static void assertOnlySignInTokens(String login) {
        bearer(login).get("/apiops/auth/tokens/").then().body("resultList.name", everyItem(equalTo("token endpoint")));
    }

    /**
     * An expiry is ISO-8601 text with an offset; a number, or digits in a string, is not read as seconds or milliseconds
     * since 1970, and an empty string is not "never".
     */
    @Test
    void shouldRefuseAnExpiryThatIsANumber() {
        String login = users.create().token();
        long inTenMinutes = Instant.now().plus(10, ChronoUnit.MINUTES).getEpochSecond();
        for (String expiry : List.of(Long.toString(inTenMinutes), inTenMinutes + ".5", Long.toString(inTenMinutes * 1000),
                "\"" + inTenMinutes + "\"", "\"" + inTenMinutes + ".5\"", "\"\"", "\" \"", "\"2027-01-31\"",
                "\"2027-01-31T00:00:00\"")) {
            refusedBody(login, "{\"name\":\"numbered\",\"expireDate\":" + expiry + "}", "expireDate");
        }
        assertOnlySignInTokens(login);
    }

    /** A value of another type is refused, not converted: a number is not a name. */
    @Test
    void shouldRefuseANameThatIsNotAString() {
        String login = users.create().token();
        for (String name : List.of("123", "1.5", "true")) {
            refusedBody(login, "{\"name\":" + name + "}", "name")
                    .body("validation_errors.message", contains("has the wrong type"));
        }
        assertOnlySignInTokens(login);
    }

    @Test
    void shouldRecordAndListTokensFromTheTokenEndpoint() {
        TestUser user = users.create();
        String token = user.token();
        bearer(token).get("/apiops/auth/tokens/")
                .then()
                .statusCode(200)
                .header("Content-Type", JSON_UTF8)
                .body("status", equalTo("SUCCESS"))
                .body("resultCount", equalTo(1))
                .body("resultList[0].id", equalTo(jti(token)))
                .body("resultList[0].name", equalTo("token endpoint"))
                .body("resultList[0].createdAt", matchesPattern(INSTANT))
                .body("resultList[0].expireDate", matchesPattern(INSTANT))
                .body("resultList[0].revoked", equalTo(false))
                .body("resultList[0].owner", equalTo(user.username()))
                .body("resultList[0].roleNameList", nullValue())
                .body("resultList[0].allowedAddresses", nullValue())
                .body("resultList[0].revokedReason", nullValue())
                .body("resultList[0].keySet()", contains("id", "name", "owner", "createdAt", "expireDate",
                        "lastUsedAt", "lastUsedAddress", "lastUsedUserAgent", "roleNameList", "allowedAddresses",
                        "revoked", "revokedReason"))
                .body("resultList[0].access_token", nullValue());
    }

    @Test
    void shouldCreateATokenWithAnExpiry() {
        TestUser user = users.create(DefaultRoles.API_SECURITY);
        Instant expiry = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Response created = create(user, expiry.toString());
        created.then()
                .statusCode(201)
                .header("Content-Type", JSON_UTF8)
                .body("id", matchesPattern(UUID))
                .body("name", equalTo("ci pipeline"))
                .body("token_type", equalTo("Bearer"))
                .body("expireDate", equalTo(expiry.toString()))
                .body("keySet()", contains("id", "name", "access_token", "token_type", "expires_in", "expireDate"));
        long expiresIn = created.<Number> path("expires_in").longValue();
        assertThat(expiresIn).isBetween(2 * 86_400L - 30, 2 * 86_400L);
        String token = created.path("access_token");
        assertThat(jti(token)).isEqualTo(created.<String> path("id"));
        works(token);
    }

    @Test
    void shouldCreateATokenThatNeverExpiresAndWorksUntilRevoked() throws Exception {
        TestUser user = users.create();
        String login = user.token();
        Response created = create(login, null, user.password());
        created.then().statusCode(201).body("expires_in", nullValue()).body("expireDate", nullValue());
        String token = created.path("access_token");
        Map<?, ?> claims = new ObjectMapper().readValue(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                Map.class);
        assertThat(((Number) claims.get("exp")).longValue()).isEqualTo(PersonalToken.NEVER.getEpochSecond());
        works(token);
        bearer(login).get("/apiops/auth/tokens/").then()
                .body("resultList.find { it.name == 'ci pipeline' }.expireDate", nullValue());

        bearer(login).delete("/apiops/auth/tokens/" + created.path("id")).then().statusCode(204);
        refused(token);
    }

    @Test
    void shouldValidateANewToken() {
        String token = users.create().token();
        bearer(token).contentType("application/json").body(Map.of("expireDate", "2020-01-01T00:00:00Z"))
                .post("/apiops/auth/tokens")
                .then()
                .statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("validation_errors.field", org.hamcrest.Matchers.containsInAnyOrder("name", "expireDate"));
        bearer(token).contentType("application/json").body(Map.of("name", "x", "expireDate", "next tuesday"))
                .post("/apiops/auth/tokens")
                .then()
                .statusCode(400)
                .body("validation_errors.field", contains("expireDate"));
    }

    @Test
    void shouldRefuseARevokedTokenAtOnce() {
        TestUser user = users.create();
        String token = user.token();
        works(token);
        bearer(token).delete("/apiops/auth/tokens/" + jti(token)).then().statusCode(204);
        refused(token);
        bearer(user.token()).get("/apiops/auth/tokens").then()
                .body("resultList.find { it.id == '" + jti(token) + "' }.revoked", equalTo(true));
    }

    @Test
    void shouldHideOtherUsersTokensFromNonAdministrators() {
        String mine = users.create().token();
        String theirs = users.create().token();
        bearer(mine).delete("/apiops/auth/tokens/" + jti(theirs)).then().statusCode(404)
                .body("error", equalTo("not_found"));
        works(theirs);
        bearer(mine).delete("/apiops/auth/tokens/not-a-uuid").then().statusCode(404);
        bearer(mine).delete("/apiops/auth/tokens/" + java.util.UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void shouldLetAnAdministratorRevokeAnyToken() {
        String admin = users.create(Roles.ADMIN).token();
        String theirs = users.create().token();
        bearer(admin).delete("/apiops/auth/tokens/" + jti(theirs)).then().statusCode(204);
        refused(theirs);
    }

    @Test
    void shouldRevokeByValueAsRfc7009Says() {
        TestUser user = users.create();
        String caller = user.token();
        String target = user.token();
        String stranger = users.create().token();

        revokeByValue(caller, target).then().statusCode(200);
        refused(target);
        works(caller);

        revokeByValue(caller, stranger).then().statusCode(200);
        works(stranger);

        revokeByValue(caller, "not.a.token").then().statusCode(200);
        revokeByValue(caller, target).then().statusCode(200);
        bearer(caller).contentType("application/x-www-form-urlencoded").body("token_type_hint=access_token")
                .post("/apiops/auth/revoke").then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void shouldLetAnAdministratorRevokeAnyTokenByValue() {
        String admin = users.create(Roles.ADMIN).token();
        String theirs = users.create().token();
        revokeByValue(admin, theirs).then().statusCode(200);
        refused(theirs);
    }

    private static Response revokeByValue(String caller, String token) {
        return bearer(caller).contentType("application/x-www-form-urlencoded")
                .formParam("token", token)
                .post("/apiops/auth/revoke");
    }

    @Test
    void shouldListAUsersTokensForAdministratorsOnly() {
        TestUser user = users.create();
        String token = user.token();
        String admin = users.create(Roles.ADMIN).token();
        bearer(admin).get("/apiops/users/" + user.username() + "/tokens/")
                .then()
                .statusCode(200)
                .body("resultList.id", contains(jti(token)));
        bearer(admin).get("/apiops/users/" + user.username() + "/tokens").then().statusCode(200);
        bearer(admin).get("/apiops/users/nobody-at-all/tokens/").then().statusCode(404);
        bearer(token).get("/apiops/users/" + user.username() + "/tokens/").then().statusCode(403);
    }

    @Test
    void shouldRecordWhenATokenWasLastUsed() {
        TestUser user = users.create();
        String token = user.token();
        works(token);
        usage.flush();
        bearer(token).get("/apiops/auth/tokens").then().body("resultList[0].lastUsedAt", matchesPattern(INSTANT));
    }

    @Test
    void shouldShowTheCallersOwnAccount() {
        TestUser user = users.create(DefaultRoles.MANAGE_PROXIES);
        bearer(user.token()).get("/apiops/auth/me")
                .then()
                .statusCode(200)
                .header("Content-Type", JSON_UTF8)
                .body("username", equalTo(user.username()))
                .body("roleNameList", contains(DefaultRoles.MANAGE_PROXIES));
    }

    @Test
    void shouldChangeTheOwnPasswordAndEndEveryOldToken() {
        TestUser user = users.create();
        String token = user.token();
        String next = strongPassword();
        bearer(token).contentType("application/json")
                .body(Map.of("currentPassword", "wrong", "newPassword", next))
                .put("/apiops/auth/me/password")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
        works(token);

        bearer(token).contentType("application/json")
                .body(Map.of("currentPassword", user.password(), "newPassword", next))
                .put("/apiops/auth/me/password")
                .then()
                .statusCode(200)
                .body("failedAttempts", equalTo(0));
        refused(token);
        requestToken(user.username(), user.password()).then().statusCode(401);
        requestToken(user.username(), next).then().statusCode(200);
    }

    @Test
    void shouldCountAWrongCurrentPasswordAsAFailedLogin() {
        TestUser user = users.create();
        String token = user.token();
        for (int i = 0; i < 3; i++) {
            bearer(token).contentType("application/json")
                    .body(Map.of("currentPassword", "guess-" + i, "newPassword", strongPassword()))
                    .put("/apiops/auth/me/password").then().statusCode(400);
        }
        requestToken(user.username(), user.password()).then().statusCode(401);
    }

    @Test
    void shouldEndTheTokensOfAUserWhoIsDisabledLockedDeletedOrGivenANewPassword() {
        String admin = users.create(Roles.ADMIN).token();
        TestUser disabled = users.create();
        TestUser locked = users.create();
        TestUser deleted = users.create();
        TestUser demoted = users.create(DefaultRoles.MANAGE_PROXIES, DefaultRoles.API_SECURITY);
        TestUser promoted = users.create(DefaultRoles.API_SECURITY);
        TestUser reset = users.create();
        List<String> tokens = List.of(disabled.token(), locked.token(), deleted.token(), demoted.token(),
                promoted.token(), reset.token());
        tokens.forEach(PersonalTokenResourceTest::works);

        bearer(admin).contentType("application/json").body(Map.of("enabled", false))
                .put("/apiops/users/" + disabled.username() + "/").then().statusCode(200);
        bearer(admin).post("/apiops/users/" + locked.username() + "/lock/").then().statusCode(200)
                .body("locked", equalTo(true));
        bearer(admin).delete("/apiops/users/" + deleted.username() + "/").then().statusCode(204);
        bearer(admin).contentType("application/json").body(Map.of("roleNameList", List.of(DefaultRoles.API_SECURITY)))
                .put("/apiops/users/" + demoted.username() + "/").then().statusCode(200);
        bearer(admin).contentType("application/json")
                .body(Map.of("roleNameList", List.of(DefaultRoles.API_SECURITY, DefaultRoles.MANAGE_PROXIES)))
                .put("/apiops/users/" + promoted.username() + "/").then().statusCode(200);
        bearer(admin).contentType("application/json").body(Map.of("password", strongPassword()))
                .put("/apiops/users/" + reset.username() + "/password/").then().statusCode(200);

        refused(tokens.get(0));
        refused(tokens.get(1));
        refused(tokens.get(2));
        // A role taken away leaves the token, not the token itself (see TokenScopeTest).
        works(tokens.get(3));
        works(tokens.get(4));
        refused(tokens.get(5));
        requestToken(locked.username(), locked.password()).then().statusCode(401);
        bearer(admin).post("/apiops/users/" + locked.username() + "/unlock/").then().statusCode(200);
        works(locked.token());
    }

    @Test
    void shouldNotIssueTokensToADisabledUser() {
        TestUser user = users.create();
        String token = user.token();
        String admin = users.create(Roles.ADMIN).token();
        bearer(admin).contentType("application/json").body(Map.of("enabled", false))
                .put("/apiops/users/" + user.username()).then().statusCode(200);
        create(token, null).then().statusCode(401);
        form().formParam("grant_type", "client_credentials").formParam("client_id", user.username())
                .formParam("client_secret", user.password()).post("/apiops/auth/token").then().statusCode(401);
        bearer(admin).get("/apiops/users/" + user.username() + "/tokens/").then()
                .body("resultList.revoked", everyItem(equalTo(true)))
                .body("resultList.id", hasItem(jti(token)))
                .body("resultList.createdAt", everyItem(notNullValue()));
    }
}
