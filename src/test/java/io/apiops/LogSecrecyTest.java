package io.apiops;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.requestToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import io.apiops.TestUsers.TestUser;
import io.apiops.user.Roles;
import io.apiops.user.UserRepository;

/**
 * The test profile also writes the log to a file, with this service's own categories at DEBUG. After a full run of
 * what users do (good and bad logins, token use, rotation and its reuse, introspection, administration, errors) none of
 * the secrets involved may appear in it.
 */
@QuarkusTest
class LogSecrecyTest {

    @Inject
    TestUsers users;

    @Inject
    UserRepository repository;

    @ConfigProperty(name = "quarkus.log.file.path")
    String logFile;

    @Test
    void shouldNeverLogPasswordsHashesOrTokens() throws Exception {
        TestUser admin = users.create(Roles.ADMIN);
        TestUser user = users.create(DefaultRoles.API_SECURITY);
        List<String> secrets = new ArrayList<>(List.of(admin.password(), user.password(), "Wr0ng-Pa55word!",
                "Wr0ng-Reauth-Secret", "N3w-Secret-Pass", "Reset-By-Admin-77"));

        String adminToken = admin.token();
        String userToken = user.token();
        secrets.add(adminToken);
        secrets.add(userToken);
        requestToken(user.username(), "Wr0ng-Pa55word!").then().statusCode(401);
        requestToken("no-such-user", user.password()).then().statusCode(401);
        form("Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user.username() + ":" + user.password()).getBytes(StandardCharsets.UTF_8)));
        bearer(userToken).get("/apiops/test/hello/me").then().statusCode(200);
        bearer(userToken + "tampered").get("/apiops/test/hello/me").then().statusCode(401);
        bearer(userToken).get("/apiops/users/").then().statusCode(403);
        Response made = bearer(userToken).contentType("application/json")
                .body(Map.of("name", "laptop", "currentPassword", user.password()))
                .post("/apiops/auth/tokens").then().statusCode(201).extract().response();
        String created = made.path("access_token");
        // Rotation, the reuse of the rotated-away token (which revokes its chain) and introspection of each.
        String rotated = bearer(created).post("/apiops/auth/tokens/" + made.path("id") + "/rotate").then()
                .statusCode(201).extract().path("access_token");
        secrets.add(rotated);
        bearer(created).get("/apiops/test/hello/me").then().statusCode(401);
        for (String introspected : List.of(userToken, created, rotated, userToken + "tampered")) {
            bearer(adminToken).contentType("application/x-www-form-urlencoded").formParam("token", introspected)
                    .post("/apiops/auth/introspect").then().statusCode(200);
        }
        bearer(userToken).contentType("application/json")
                .body(Map.of("name", "laptop", "currentPassword", "Wr0ng-Reauth-Secret"))
                .post("/apiops/auth/tokens").then().statusCode(403);
        secrets.add(created);
        bearer(userToken).contentType("application/x-www-form-urlencoded").formParam("token", created)
                .post("/apiops/auth/revoke").then().statusCode(200);
        bearer(adminToken).contentType("application/json").body(Map.of("password", "Reset-By-Admin-77"))
                .put("/apiops/users/" + user.username() + "/password").then().statusCode(200);
        String fresh = TestUsers.tokenFor(user.username(), "Reset-By-Admin-77");
        secrets.add(fresh);
        bearer(fresh).contentType("application/json")
                .body(Map.of("currentPassword", "Reset-By-Admin-77", "newPassword", "N3w-Secret-Pass"))
                .put("/apiops/auth/me/password").then().statusCode(200);
        bearer(adminToken).contentType("application/json")
                .body(Map.of("username", "secret-" + admin.username(), "password", "Wr0ng-Pa55word!"))
                .post("/apiops/users/").then().statusCode(201);
        given().get("/apiops/test-only/failure").then().statusCode(500);

        QuarkusTransaction.requiringNew().run(() -> {
            for (String name : List.of(admin.username(), user.username(), "secret-" + admin.username())) {
                String hash = repository.findByUsername(name).orElseThrow().passwordHash();
                secrets.add(hash);
                secrets.add(hash.substring(hash.lastIndexOf('$') + 1));
            }
        });

        String log = Files.readString(Path.of(logFile), StandardCharsets.UTF_8);
        assertThat(log).as("the log captured this run").contains("Unexpected error");
        for (String secret : secrets) {
            assertThat(log).doesNotContain(secret);
            if (secret.chars().filter(c -> c == '.').count() == 2) {
                assertThat(log).doesNotContain(secret.substring(secret.lastIndexOf('.') + 1));
            }
        }
    }

    private static void form(String header, String value) {
        TestUsers.form().header(header, value).formParam("grant_type", "client_credentials")
                .post("/apiops/auth/token").then().statusCode(200);
    }
}
