package io.apiops.user;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.requestToken;
import static io.apiops.TestUsers.strongPassword;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

import io.apiops.DefaultRoles;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/** Section 5: user administration. */
@QuarkusTest
class UserResourceTest {

    private static final String JSON_UTF8 = "application/json;charset=UTF-8";
    private static final String INSTANT = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    @Inject
    TestUsers users;

    private String adminToken;

    @BeforeEach
    void admin() {
        adminToken = users.create(Roles.ADMIN).token();
    }

    private RequestSpecification asAdmin() {
        return bearer(adminToken).contentType("application/json");
    }

    private static String newName() {
        return "new-" + UUID.randomUUID().toString().substring(0, 12);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/apiops/users/", "/apiops/users" })
    void shouldListUsersInTheEnvelope(String path) {
        TestUser someone = users.create(DefaultRoles.API_SECURITY);
        asAdmin().get(path)
                .then()
                .statusCode(200)
                .header("Content-Type", JSON_UTF8)
                .body("status", equalTo("SUCCESS"))
                .body("resultList.username", hasItem(someone.username()))
                .body("resultCount", greaterThanOrEqualTo(2))
                .body(not(containsString("password")))
                .body(not(containsString("$argon2id")));
    }

    @Test
    void shouldCreateAUser() {
        String name = newName();
        String password = strongPassword();
        asAdmin().body(Map.of("username", name, "password", password, "fullName", "Ada Lovelace", "email",
                "ada@example.com", "roleNameList", new String[] { DefaultRoles.DEPLOY_UNDEPLOY_PROXIES, DefaultRoles.MANAGE_PROXIES },
                "enabled", true))
                .post("/apiops/users/")
                .then()
                .statusCode(201)
                .header("Content-Type", JSON_UTF8)
                .header("Location", endsWith("/apiops/users/" + name + "/"))
                .body("username", equalTo(name))
                .body("fullName", equalTo("Ada Lovelace"))
                .body("email", equalTo("ada@example.com"))
                .body("roleNameList", contains(DefaultRoles.MANAGE_PROXIES, DefaultRoles.DEPLOY_UNDEPLOY_PROXIES))
                .body("enabled", equalTo(true))
                .body("locked", equalTo(false))
                .body("failedAttempts", equalTo(0))
                .body("createdAt", matchesPattern(INSTANT))
                .body("keySet()", containsInAnyOrder("username", "fullName", "email", "roleNameList", "enabled",
                        "locked", "failedAttempts", "createdAt"));
        requestToken(name, password).then().statusCode(200);
    }

    @Test
    void shouldCreateAnEnabledUserWithoutRolesByDefault() {
        String name = newName();
        asAdmin().body(Map.of("username", name, "password", strongPassword())).post("/apiops/users")
                .then()
                .statusCode(201)
                .body("enabled", equalTo(true))
                .body("roleNameList.size()", equalTo(0));
    }

    @Test
    void shouldRefuseATakenUsername() {
        TestUser existing = users.create();
        asAdmin().body(Map.of("username", existing.username(), "password", strongPassword()))
                .post("/apiops/users/")
                .then()
                .statusCode(409)
                .header("Content-Type", JSON_UTF8)
                .body("error", equalTo("duplicate_name"))
                .body("error_description", matchesPattern(".+"));
        requestToken(existing.username(), existing.password()).then().statusCode(200);
    }

    @Test
    void shouldNameEveryInvalidField() {
        asAdmin().body("{\"username\":\"\",\"roleNameList\":[\"ROLE_ROOT\"],\"email\":\"not-an-email\"}")
                .post("/apiops/users/")
                .then()
                .statusCode(400)
                .header("Content-Type", JSON_UTF8)
                .body("error", equalTo("validation_failed"))
                .body("error_description", matchesPattern(".+"))
                .body("validation_errors.field", containsInAnyOrder("username", "password", "roleNameList", "email"))
                .body("validation_errors.message", not(hasItem(emptyString())));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"username\":", "[1,2]", "{\"username\":\"a\",\"password\":\"b\",\"enabled\":\"maybe\"}",
            "{\"username\":\"a\",\"password\":\"b\",\"isAdmin\":true}", "" })
    void shouldRefuseMalformedBodiesWithA400(String body) {
        asAdmin().body(body)
                .post("/apiops/users/")
                .then()
                .statusCode(400)
                .header("Content-Type", JSON_UTF8)
                .body("error", matchesPattern("invalid_request|validation_failed"));
    }

    @Test
    void shouldRefuseUsernamesWithControlCharactersOrOuterSpaces() {
        for (String name : new String[] { "tab\tname", " padded", "nul\u0000name" }) {
            asAdmin().body(Map.of("username", name, "password", strongPassword()))
                    .post("/apiops/users/")
                    .then()
                    .statusCode(400)
                    .body("validation_errors.field", contains("username"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "/apiops/users/%s/", "/apiops/users/%s" })
    void shouldGetOneUser(String path) {
        TestUser user = users.create(DefaultRoles.API_SECURITY);
        asAdmin().get(String.format(path, user.username()))
                .then()
                .statusCode(200)
                .header("Content-Type", JSON_UTF8)
                .body("username", equalTo(user.username()))
                .body("roleNameList", contains(DefaultRoles.API_SECURITY));
    }

    @Test
    void shouldAnswer404ForEveryCallAboutAMissingUser() {
        String ghost = newName();
        asAdmin().get("/apiops/users/" + ghost + "/").then().statusCode(404).body("error", equalTo("not_found"));
        asAdmin().body("{}").put("/apiops/users/" + ghost + "/").then().statusCode(404);
        asAdmin().body("{\"password\":\"x\"}").put("/apiops/users/" + ghost + "/password/").then().statusCode(404);
        asAdmin().post("/apiops/users/" + ghost + "/unlock/").then().statusCode(404);
        asAdmin().delete("/apiops/users/" + ghost + "/").then().statusCode(404)
                .header("Content-Type", JSON_UTF8)
                .body("error", equalTo("not_found"));
    }

    @Test
    void shouldUpdateOnlyTheGivenFields() {
        TestUser user = users.create(DefaultRoles.API_SECURITY);
        asAdmin().body(Map.of("fullName", "Renamed")).put("/apiops/users/" + user.username() + "/")
                .then()
                .statusCode(200)
                .body("fullName", equalTo("Renamed"))
                .body("email", equalTo(user.username() + "@example.com"))
                .body("roleNameList", contains(DefaultRoles.API_SECURITY))
                .body("enabled", equalTo(true));
        asAdmin().body(Map.of("roleNameList", new String[] { Roles.ADMIN }, "enabled", false))
                .put("/apiops/users/" + user.username())
                .then()
                .statusCode(200)
                .body("fullName", equalTo("Renamed"))
                .body("roleNameList", contains(Roles.ADMIN))
                .body("enabled", equalTo(false));
        requestToken(user.username(), user.password()).then().statusCode(401);
    }

    @Test
    void shouldRefuseAnUnknownRoleOnUpdate() {
        TestUser user = users.create();
        asAdmin().body(Map.of("roleNameList", new String[] { "ROLE_GOD" }))
                .put("/apiops/users/" + user.username() + "/")
                .then()
                .statusCode(400)
                .body("validation_errors.field", contains("roleNameList"));
    }

    @Test
    void shouldSetAPasswordAndClearTheLockout() {
        TestUser user = users.create();
        for (int i = 0; i < 3; i++) {
            requestToken(user.username(), "wrong").then().statusCode(401);
        }
        String brandNew = strongPassword();
        asAdmin().body(Map.of("password", brandNew)).put("/apiops/users/" + user.username() + "/password/")
                .then()
                .statusCode(200)
                .body("locked", equalTo(false))
                .body("failedAttempts", equalTo(0));
        requestToken(user.username(), user.password()).then().statusCode(401);
        requestToken(user.username(), brandNew).then().statusCode(200);
    }

    @Test
    void shouldRefuseAnEmptyPassword() {
        TestUser user = users.create();
        asAdmin().body(Map.of("password", "")).put("/apiops/users/" + user.username() + "/password")
                .then()
                .statusCode(400)
                .body("validation_errors.field", contains("password"));
    }

    @Test
    void shouldUnlockAndClearTheCount() {
        TestUser user = users.create();
        for (int i = 0; i < 3; i++) {
            requestToken(user.username(), "wrong").then().statusCode(401);
        }
        asAdmin().get("/apiops/users/" + user.username()).then()
                .body("locked", equalTo(true))
                .body("failedAttempts", equalTo(3));

        bearer(adminToken).post("/apiops/users/" + user.username() + "/unlock/")
                .then()
                .statusCode(200)
                .body("locked", equalTo(false))
                .body("failedAttempts", equalTo(0));
        requestToken(user.username(), user.password()).then().statusCode(200);
    }

    @Test
    void shouldDeleteAUser() {
        TestUser user = users.create();
        asAdmin().delete("/apiops/users/" + user.username() + "/").then().statusCode(204).body(emptyString());
        asAdmin().get("/apiops/users/" + user.username() + "/").then().statusCode(404);
        requestToken(user.username(), user.password()).then().statusCode(401);
    }

    @Test
    void shouldForbidUsersWithoutTheAdminRole() {
        String token = users.create(DefaultRoles.MANAGE_PROXIES, DefaultRoles.DEPLOY_UNDEPLOY_PROXIES, DefaultRoles.API_SECURITY).token();
        bearer(token).get("/apiops/users/")
                .then()
                .statusCode(403)
                .header("Content-Type", JSON_UTF8)
                .body(equalTo("{\"error\":\"forbidden\","
                        + "\"error_description\":\"You do not have permission to perform this action\"}"));
        bearer(token).contentType("application/json").body(Map.of("username", newName(), "password", strongPassword()))
                .post("/apiops/users/").then().statusCode(403);
    }

    @Test
    void shouldRequireATokenForAdministration() {
        given().get("/apiops/users/").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }
}
