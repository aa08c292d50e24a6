package io.apiops.bearer;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.claim;
import static io.apiops.TestUsers.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

import io.apiops.DefaultRoles;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;
import io.apiops.user.Roles;

/** RFC 7662 introspection: live tokens described, anything else exactly {@code {"active":false}}. */
@QuarkusTest
class IntrospectionTest {

    private static final String INACTIVE = "{\"active\":false}";

    @Inject
    TestUsers users;

    static Response introspect(String caller, String token) {
        return form().header("Authorization", "Bearer " + caller).formParam("token", token)
                .post("/apiops/auth/introspect");
    }

    @Test
    void shouldDescribeALiveToken() {
        String admin = users.create(Roles.ADMIN).token();
        TestUser owner = users.create(DefaultRoles.API_SECURITY, DefaultRoles.MANAGE_PROXIES);
        String token = owner.token();
        introspect(admin, token).then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("active", equalTo(true))
                .body("sub", equalTo(owner.username()))
                .body("username", equalTo(owner.username()))
                .body("scope", equalTo(DefaultRoles.MANAGE_PROXIES + " " + DefaultRoles.API_SECURITY))
                .body("jti", equalTo(claim(token, "jti")))
                .body("iss", equalTo("apiops"))
                .body("aud", equalTo("apiops"))
                .body("token_type", equalTo("Bearer"))
                .body("keySet()", org.hamcrest.Matchers.contains("active", "sub", "username", "scope", "exp", "iat",
                        "jti", "iss", "aud", "token_type"));
    }

    @Test
    void shouldAnswerInactiveForAnythingThatIsNotALiveToken() throws Exception {
        String admin = users.create(Roles.ADMIN).token();
        TestUser owner = users.create();
        String revoked = owner.token();
        bearer(revoked).delete("/apiops/auth/tokens/" + claim(revoked, "jti")).then().statusCode(204);
        TestUser disabled = users.create();
        String ofDisabled = disabled.token();
        bearer(admin).contentType("application/json").body(Map.of("enabled", false))
                .put("/apiops/users/" + disabled.username() + "/").then().statusCode(200);

        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String foreign = Jwt.issuer("apiops").audience("apiops").upn(owner.username()).subject(owner.username())
                .groups("ROLE_ADMIN").claim("jti", java.util.UUID.randomUUID().toString())
                .expiresAt(Instant.now().plusSeconds(600).getEpochSecond()).jws().keyId("other")
                .sign(generator.generateKeyPair().getPrivate());
        String live = owner.token();
        String[] parts = live.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        for (String token : List.of(revoked, ofDisabled, foreign, tampered, "garbage", live + "!!!!", live + "=",
                " " + live + "x", "a.b.c", "x".repeat(9000))) {
            introspect(admin, token).then().statusCode(200).body(equalTo(INACTIVE));
        }
        introspect(admin, live).then().body("active", equalTo(true));
    }

    @Test
    void shouldAnswerInactiveForAnExpiredToken() throws Exception {
        String admin = users.create(Roles.ADMIN).token();
        TestUser owner = users.create();
        Map<String, Object> body = new HashMap<>();
        body.put("name", "brief");
        Instant expiry = Instant.now().plusSeconds(2);
        body.put("expireDate", expiry.toString());
        String brief = bearer(owner.token()).contentType("application/json").body(body)
                .post("/apiops/auth/tokens/").then().statusCode(201).extract().path("access_token");
        introspect(admin, brief).then().body("active", equalTo(true));
        // Past its expiry and the two seconds of clock skew verification forgives.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .pollInterval(java.time.Duration.ofMillis(250))
                .until(() -> INACTIVE.equals(introspect(admin, brief).then().statusCode(200).extract().asString()));
        // Never before the expiry itself.
        assertThat(Instant.now()).isAfter(expiry);
    }

    @Test
    void shouldBeForAdministratorsAndTheIntrospectionRoleOnly() {
        TestUser someone = users.create(DefaultRoles.API_SECURITY);
        String token = someone.token();
        introspect(token, token).then().statusCode(403).body("error", equalTo("forbidden"));
        form().formParam("token", token).post("/apiops/auth/introspect").then().statusCode(401);
        String admin = users.create(Roles.ADMIN).token();
        form().header("Authorization", "Bearer " + admin).post("/apiops/auth/introspect").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        bearer(admin).contentType("application/json").body("{\"token\":\"x\"}").post("/apiops/auth/introspect")
                .then().statusCode(415);
        bearer(admin).get("/apiops/auth/introspect").then().statusCode(405);
    }

    @Test
    void shouldNeitherNoteAUseNorChangeAnything() {
        String admin = users.create(Roles.ADMIN).token();
        TestUser owner = users.create();
        String token = owner.token();
        introspect(admin, token).then().body("active", equalTo(true));
        Map<String, Object> listed = bearer(admin).get("/apiops/users/" + owner.username() + "/tokens/").then()
                .extract().path("resultList[0]");
        assertThat(listed).containsEntry("lastUsedAt", null);
    }

    @Test
    void shouldRefuseARepeatedTokenParameterRatherThanPickOne() {
        String admin = users.create(Roles.ADMIN).token();
        String live = users.create().token();
        for (String body : List.of("token=garbage&token=" + live, "token=" + live + "&token=garbage")) {
            bearer(admin).contentType("application/x-www-form-urlencoded").body(body).post("/apiops/auth/introspect")
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
            bearer(admin).contentType("application/x-www-form-urlencoded").body(body).post("/apiops/auth/revoke")
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
        }
        introspect(admin, live).then().body("active", equalTo(true));
    }

    @Test
    void shouldRefuseNonAdministratorsOnEverySpellingOfThePath() {
        String someone = users.create(DefaultRoles.API_SECURITY).token();
        String admin = users.create(Roles.ADMIN).token();
        for (String path : List.of("/apiops/auth/introspect/", "/apiops/auth/introspect;x", "/apiops;x/auth/introspect",
                "//apiops/auth/introspect", "/apiops/auth/./introspect")) {
            form().header("Authorization", "Bearer " + someone).formParam("token", someone).post(path).then()
                    .statusCode(org.hamcrest.Matchers.anyOf(equalTo(403), equalTo(404)));
            int status = form().header("Authorization", "Bearer " + admin).formParam("token", someone).post(path)
                    .then().extract().statusCode();
            assertThat(status).as(path).isIn(200, 404);
        }
        // A token in the query string is not read: it would end up in access logs.
        bearer(admin).contentType("application/x-www-form-urlencoded").body("")
                .post("/apiops/auth/introspect?token=" + someone).then().statusCode(400);
    }
}
