package io.apiops.token;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.claim;
import static io.apiops.TestUsers.requestToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import io.apiops.DefaultRoles;
import io.apiops.RawHttp;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;
import io.apiops.user.Roles;

/**
 * Scoped and address-limited tokens and the re-authentication rule: what a token may do is its scope intersected
 * with its owner's roles at each use, from the addresses it names, and a token that would outlive the one creating
 * it needs the owner's password.
 */
@QuarkusTest
class TokenScopeTest {

    private static final String INVALID_TOKEN = "{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid token\"}";
    private static final String FORBIDDEN = "{\"error\":\"forbidden\",\"error_description\":\"You do not have permission to perform this action\"}";

    @Inject
    TestUsers users;

    @TestHTTPResource("/")
    URL base;

    static RequestSpecification json(String token) {
        return bearer(token).contentType("application/json");
    }

    /**
     * Creates a named token; {@code fields} go into the body beside a name and an expiry within the calling token's
     * own lifetime (so that no password is needed unless a test asks for a longer one).
     */
    static Response create(String bearerToken, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "scoped");
        Instant callerExpiry;
        try {
            callerExpiry = Instant.ofEpochSecond(((Number) claims(bearerToken).get("exp")).longValue());
        } catch (Exception e) {
            callerExpiry = Instant.now().plus(30, ChronoUnit.MINUTES);
        }
        Instant within = Instant.now().plus(30, ChronoUnit.MINUTES);
        body.put("expireDate", (within.isBefore(callerExpiry) ? within : callerExpiry.minusSeconds(60)).toString());
        body.putAll(fields);
        return json(bearerToken).body(body).post("/apiops/auth/tokens/");
    }

    static String created(Response response) {
        return response.then().statusCode(201).extract().path("access_token");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> claims(String token) throws Exception {
        return new ObjectMapper().readValue(Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class);
    }

    @Test
    void shouldCarryOnlyTheRolesATokenWasScopedTo() throws Exception {
        TestUser owner = users.create(Roles.ADMIN, DefaultRoles.API_SECURITY);
        String scoped = created(create(owner.token(), Map.of("roleNameList", List.of(DefaultRoles.API_SECURITY))));

        Map<String, Object> claims = claims(scoped);
        assertThat(claims.get("groups")).isEqualTo(List.of(DefaultRoles.API_SECURITY));
        assertThat(claims.get("scope")).isEqualTo(DefaultRoles.API_SECURITY);
        assertThat(claims.get("aud")).isEqualTo("apiops");

        // An administrator's token scoped without ROLE_ADMIN is not an administrator's token.
        bearer(scoped).get("/apiops/users/").then().statusCode(403).body(equalTo(FORBIDDEN));
        bearer(scoped).get("/apiops/tokens/").then().statusCode(403);
        bearer(scoped).get("/apiops/test/hello/x").then().statusCode(200);
        bearer(owner.token()).get("/apiops/users/").then().statusCode(200);
        bearer(owner.token()).get("/apiops/auth/tokens/").then().statusCode(200)
                .body("resultList.find { it.name == 'scoped' }.roleNameList", contains(DefaultRoles.API_SECURITY));
    }

    @Test
    void shouldRefuseAScopeBeyondTheOwnersRolesOrTheCatalogue() {
        TestUser owner = users.create(DefaultRoles.API_SECURITY);
        String token = owner.token();
        for (Object scope : List.of(List.of(Roles.ADMIN), List.of("ROLE_NOT_IN_CATALOGUE"), List.of("role_admin"),
                List.of(DefaultRoles.API_SECURITY, Roles.ADMIN))) {
            create(token, Map.of("roleNameList", scope)).then().statusCode(400)
                    .body("error", equalTo("validation_failed"))
                    .body("validation_errors.field", contains("roleNameList"));
        }
        create(token, Map.of("roleNameList", "ROLE_API_SECURITY")).then().statusCode(400);
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("roleNameList", java.util.Arrays.asList(DefaultRoles.API_SECURITY, null));
        create(token, withNull).then().statusCode(400).body("error", equalTo("validation_failed"));
        // Every role of the catalogue is named in the message.
        create(token, Map.of("roleNameList", List.of("ROLE_X"))).then()
                .body("validation_errors[0].message", equalTo("must be one of " + String.join(", ", DefaultRoles.ALL)));
    }

    @Test
    void shouldTakeALostRoleFromEveryTokenAtOnceAndGiveAGainedOneToUnscopedTokens() {
        String admin = users.create(Roles.ADMIN).token();
        TestUser owner = users.create(Roles.ADMIN, DefaultRoles.API_SECURITY);
        String unscoped = owner.token();
        String scoped = created(create(unscoped, Map.of("roleNameList", List.of(Roles.ADMIN))));
        bearer(scoped).get("/apiops/users/").then().statusCode(200);

        setRoles(admin, owner, List.of(DefaultRoles.API_SECURITY));
        // Both still work, neither is an administrator's any more.
        for (String token : List.of(unscoped, scoped)) {
            bearer(token).get("/apiops/test/hello/x").then().statusCode(200);
            bearer(token).get("/apiops/users/").then().statusCode(403);
        }

        setRoles(admin, owner, List.of(Roles.ADMIN, DefaultRoles.API_SECURITY));
        bearer(unscoped).get("/apiops/users/").then().statusCode(200);
        bearer(scoped).get("/apiops/users/").then().statusCode(200);

        // A gained role reaches an unscoped token, never a scoped one beyond its scope.
        String narrow = created(create(unscoped, Map.of("roleNameList", List.of(DefaultRoles.API_SECURITY))));
        setRoles(admin, owner, List.of(Roles.ADMIN, DefaultRoles.API_SECURITY, DefaultRoles.MANAGE_PROXIES));
        bearer(narrow).get("/apiops/users/").then().statusCode(403);
    }

    static void setRoles(String admin, TestUser user, List<String> roles) {
        json(admin).body(Map.of("roleNameList", roles)).put("/apiops/users/" + user.username() + "/").then()
                .statusCode(200);
    }

    @Test
    void shouldHonourATokenOnlyFromItsAllowedAddresses() {
        TestUser owner = users.create();
        String login = owner.token();
        String elsewhere = created(create(login, Map.of("allowedAddresses", List.of("192.0.2.0/24", "2001:db8::/32"))));
        String here = created(create(login, Map.of("allowedAddresses", List.of("127.0.0.1"))));
        String localRange = created(create(login, Map.of("allowedAddresses", List.of("127.0.0.0/8"))));

        bearer(elsewhere).get("/apiops/test/hello/x").then().statusCode(401).body(equalTo(INVALID_TOKEN));
        // Forwarding headers from a client that is no trusted proxy change nothing.
        bearer(elsewhere).header("X-Forwarded-For", "192.0.2.7").header("Forwarded", "for=192.0.2.7")
                .get("/apiops/test/hello/x").then().statusCode(401);
        bearer(here).get("/apiops/test/hello/x").then().statusCode(200);
        bearer(localRange).get("/apiops/test/hello/x").then().statusCode(200);
        bearer(login).get("/apiops/auth/tokens/").then().statusCode(200)
                .body("resultList.find { it.allowedAddresses == ['192.0.2.0/24', '2001:db8::/32'] }.name",
                        equalTo("scoped"));
    }

    @Test
    void shouldRefuseMalformedAddressLimits() {
        String token = users.create().token();
        for (String entry : List.of("10.0.0.0/33", "::1/129", "localhost", "010.0.0.1", "10.0.0", "10.0.0.1/",
                "10.0.0.1/-1", "10.0.0.1/08", "fe80::1%eth0", "0x7f.0.0.1", "", "1.2.3.4/24/8", "a".repeat(65))) {
            create(token, Map.of("allowedAddresses", List.of(entry))).then().statusCode(400)
                    .body("error", equalTo("validation_failed"))
                    .body("validation_errors.field", contains("allowedAddresses"));
        }
        create(token, Map.of("allowedAddresses", List.of())).then().statusCode(400)
                .body("validation_errors.field", contains("allowedAddresses"));
        create(token, Map.of("allowedAddresses", java.util.Collections.nCopies(33, "10.0.0.1"))).then()
                .statusCode(400);
        create(token, Map.of("allowedAddresses", "10.0.0.1")).then().statusCode(400);
    }

    @Test
    void shouldAskForThePasswordBeforeMintingATokenThatOutlivesTheCallers() {
        String admin = users.create(Roles.ADMIN).token();
        TestUser owner = users.create();
        String login = owner.token();
        Map<String, Object> forever = new HashMap<>();
        forever.put("expireDate", null);

        create(login, forever).then().statusCode(403)
                .body("error", equalTo("reauthentication_required"));
        String later = Instant.now().plus(2, ChronoUnit.HOURS).toString();
        create(login, Map.of("expireDate", later)).then().statusCode(403);

        Map<String, Object> wrong = new HashMap<>(forever);
        wrong.put("currentPassword", "not the password");
        create(login, wrong).then().statusCode(403).body("error", equalTo("reauthentication_required"));
        // A wrong password counts as a failed login.
        bearer(admin).get("/apiops/users/" + owner.username() + "/").then().body("failedAttempts", equalTo(1));

        Map<String, Object> right = new HashMap<>(forever);
        right.put("currentPassword", owner.password());
        created(create(login, right));

        // Within the caller's own lifetime no password is needed.
        created(create(login, Map.of()));
    }

    @Test
    void shouldJudgeValidationFirstThenReauthentication() {
        TestUser owner = users.create();
        Map<String, Object> body = new HashMap<>();
        body.put("expireDate", null);
        body.put("allowedAddresses", List.of("10.0.0.0/33"));
        create(owner.token(), body).then().statusCode(400).body("error", equalTo("validation_failed"));
        body.put("name", " ");
        body.put("allowedAddresses", List.of("10.0.0.0/8"));
        create(owner.token(), body).then().statusCode(400).body("validation_errors.field", contains("name"));
    }

    @Test
    void shouldNoteWhereAndWithWhatATokenWasLastUsed() throws Exception {
        TestUser owner = users.create();
        String login = owner.token();
        // Control characters in a header never get past the HTTP layer.
        byte[] control = RawHttp.request("GET", "/apiops/test/hello/x", List.of("Authorization: Bearer " + login,
                "User-Agent: deploy-bot/2.1 (\u001bcontrol\u0007)"), new byte[0]);
        assertThat(new RawHttp(base).send(control).status()).isEqualTo(400);
        // A long agent is cut.
        String agent = "deploy-bot/2.1 (" + "x".repeat(400) + ")";
        byte[] request = RawHttp.request("GET", "/apiops/test/hello/x", List.of("Authorization: Bearer " + login,
                "User-Agent: " + agent), new byte[0]);
        assertThat(new RawHttp(base).send(request).status()).isEqualTo(200);
        // Written by the next batch, within the test profile's one-second precision. The listing asks with another
        // token of the owner's, so that its own requests are no later use of the token under test.
        String lister = owner.token();
        String used = "resultList.find { it.id == '" + claim(login, "jti") + "' }";
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> bearer(lister).get("/apiops/auth/tokens/").path(used + ".lastUsedAddress") != null);
        bearer(lister).get("/apiops/auth/tokens/").then()
                .body(used + ".lastUsedAddress", equalTo("127.0.0.1"))
                .body(used + ".lastUsedUserAgent", equalTo(("deploy-bot/2.1 (" + "x".repeat(400)).substring(0, 256)))
                .body(used + ".lastUsedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void shouldNotLetAStolenShortLivedTokenMintALongLivedOne() {
        TestUser owner = users.create();
        String stolen = requestToken(owner.username(), owner.password()).then().extract().path("access_token");
        Map<String, Object> forever = new HashMap<>();
        forever.put("expireDate", null);
        create(stolen, forever).then().statusCode(403);
        // Nor by rotating a token it can see.
        String shortOne = created(create(stolen, Map.of()));
        String id = claim(shortOne, "jti");
        json(stolen).body(Map.of("expireDate", "2099-01-01T00:00:00Z")).post("/apiops/auth/tokens/" + id + "/rotate")
                .then().statusCode(403).body("error", equalTo("reauthentication_required"));
        bearer(owner.token()).get("/apiops/auth/tokens/").then()
                .body("resultList.findAll { it.expireDate == null }", org.hamcrest.Matchers.empty())
                .body("resultList.find { it.id == '" + id + "' }.revoked", equalTo(false))
                .body("resultList.find { it.id == '" + id + "' }.revokedReason", nullValue());
    }

    @Test
    void shouldNeverLetATokenHandOnMoreThanItHas() throws Exception {
        TestUser owner = users.create(Roles.ADMIN, DefaultRoles.MANAGE_PROXIES);
        String login = owner.token();
        Response made = create(login, Map.of("name", "narrow", "roleNameList", List.of(DefaultRoles.MANAGE_PROXIES),
                "allowedAddresses", List.of("127.0.0.0/8")));
        String narrow = created(made);

        // With no scope or addresses asked for, the new token has the caller's.
        String child = created(create(narrow, Map.of("name", "child")));
        assertThat(claims(child).get("scope")).isEqualTo(DefaultRoles.MANAGE_PROXIES);
        assertThat(claims(child).get("allowed_addresses")).isEqualTo(List.of("127.0.0.0/8"));
        bearer(child).get("/apiops/users/").then().statusCode(403);
        // More roles or a wider range than the caller's: refused.
        create(narrow, Map.of("roleNameList", List.of(Roles.ADMIN))).then().statusCode(400)
                .body("validation_errors.field", contains("roleNameList"));
        for (String wider : List.of("0.0.0.0/0", "127.0.0.0/7", "10.0.0.1", "::1")) {
            create(narrow, Map.of("allowedAddresses", List.of(wider))).then().statusCode(400)
                    .body("validation_errors.field", contains("allowedAddresses"));
        }
        created(create(narrow, Map.of("allowedAddresses", List.of("127.0.0.1"))));

        // A limited token rotates itself, never a broader token of its owner.
        String loginRecord = claim(login, "jti");
        Response broad = create(login, Map.of("name", "broad"));
        bearer(narrow).post("/apiops/auth/tokens/" + broad.path("id") + "/rotate").then().statusCode(403);
        bearer(narrow).post("/apiops/auth/tokens/" + loginRecord + "/rotate").then().statusCode(403);
        Response renewed = bearer(narrow).post("/apiops/auth/tokens/" + made.path("id") + "/rotate");
        renewed.then().statusCode(201);
        assertThat(claims(renewed.path("access_token")).get("scope")).isEqualTo(DefaultRoles.MANAGE_PROXIES);
    }

    @Test
    void shouldKeepTheTokenEndpointsNameAndTokensToItself() {
        TestUser owner = users.create();
        String login = owner.token();
        for (String name : List.of("token endpoint", "Token Endpoint", "  token endpoint ")) {
            create(login, Map.of("name", name)).then().statusCode(400)
                    .body("validation_errors.field", contains("name"));
        }
        json(login).body(Map.of("expireDate", Instant.now().plus(20, ChronoUnit.MINUTES).toString()))
                .post("/apiops/auth/tokens/" + claim(login, "jti") + "/rotate").then().statusCode(409)
                .body("error", equalTo("conflict"));
    }

    @Test
    void shouldRefuseExpiriesBeyondNeverAndTakeAJsonNullRotationBodyAsNone() {
        TestUser owner = users.create();
        String login = owner.token();
        for (String far : List.of("+294276-12-31T00:00:00Z", "+10000-01-01T00:00:00Z")) {
            create(login, Map.of("expireDate", far, "currentPassword", owner.password())).then().statusCode(400)
                    .body("validation_errors.field", contains("expireDate"));
        }
        Response made = create(login, Map.of());
        json(login).body("null").post("/apiops/auth/tokens/" + made.path("id") + "/rotate").then().statusCode(201)
                .body("expireDate", equalTo(made.path("expireDate")));
    }

    @Test
    void shouldRefuseAFieldNamedTwice() {
        String token = users.create(DefaultRoles.API_SECURITY).token();
        json(token).body("{\"name\":\"twice\",\"expireDate\":\"" + Instant.now().plusSeconds(600)
                + "\",\"roleNameList\":[\"ROLE_API_SECURITY\"],\"roleNameList\":null}")
                .post("/apiops/auth/tokens/").then().statusCode(400).body("error", equalTo("invalid_request"));
    }
}
