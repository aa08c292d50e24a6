package io.apiops.ops;

import static io.apiops.TestUsers.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;
import io.apiops.keys.SigningKeys;

/** The test endpoints, and section 3: what the bearer check accepts and refuses. */
@QuarkusTest
class TestResourceTest {

    private static final String INVALID_TOKEN = "{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid token\"}";

    @Inject
    TestUsers users;

    @Inject
    SigningKeys keys;

    @Test
    void shouldAnswerTheHealthcheckWithoutAToken() {
        given().get("/apiops/test/healthcheck")
                .then()
                .statusCode(200)
                .header("Content-Type", "text/plain;charset=UTF-8")
                .body(equalTo("OK"));
    }

    @Test
    void shouldGreetTheBearerOfAValidToken() {
        TestUser user = users.create();
        bearer(user.token()).get("/apiops/test/hello/{name}", "World")
                .then()
                .statusCode(200)
                .header("Content-Type", "text/plain;charset=UTF-8")
                .body(equalTo("Hello World"));
    }

    @Test
    void shouldRefuseARequestWithoutAToken() {
        given().get("/apiops/test/hello/x").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .header("Content-Type", "application/json;charset=UTF-8")
                .body(equalTo(INVALID_TOKEN));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer", "Bearer ", "Bearer not-a-jwt", "Bearer a.b.c", "Basic dXNlcjpwYXNz",
            "Token abc", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." })
    void shouldRefuseMalformedAuthorizationHeaders(String header) {
        given().header("Authorization", header).get("/apiops/test/hello/x")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body(equalTo(INVALID_TOKEN));
    }

    @Test
    void shouldRefuseATamperedToken() {
        TestUser user = users.create();
        String[] parts = user.token().split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forged = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.replace("\"groups\":[", "\"groups\":[\"ROLE_ADMIN\",").getBytes());
        refused(parts[0] + "." + forged + "." + parts[2]);
    }

    @Test
    void shouldRefuseAStrippedSignature() {
        TestUser user = users.create();
        String[] parts = user.token().split("\\.");
        refused(parts[0] + "." + parts[1] + ".");
    }

    @Test
    void shouldRefuseAnExpiredToken() {
        long now = Instant.now().getEpochSecond();
        refused(sign(claims("someone").issuedAt(now - 120).expiresAt(now - 10)));
    }

    @Test
    void shouldRefuseATokenOfAnotherIssuer() {
        refused(sign(claims("someone").issuer("https://elsewhere.example")));
    }

    @Test
    void shouldRefuseATokenSignedWithAnotherKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String token = claims("someone").jws().keyId(keys.keyId()).sign(generator.generateKeyPair().getPrivate());
        refused(token);
    }

    @Test
    void shouldAcceptATokenItSignedItselfWithinItsLifetime() {
        TestUser user = users.create();
        bearer(sign(claims(user.username()))).get("/apiops/test/hello/x").then().statusCode(200);
    }

    private JwtClaimsBuilder claims(String username) {
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer("apiops").audience("apiops")
                .subject(username).upn(username).groups(Set.of()).issuedAt(now)
                .expiresAt(now + 300);
    }

    private String sign(JwtClaimsBuilder claims) {
        return claims.jws().keyId(keys.keyId()).sign(keys.signingKey());
    }

    private static void refused(String token) {
        bearer(token).get("/apiops/test/hello/x")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body(equalTo(INVALID_TOKEN));
    }
}
