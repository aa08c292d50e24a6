package io.apiops.user;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.requestToken;
import static io.apiops.TestUsers.strongPassword;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/**
 * Section 4 as an attacker tries it over HTTP: weak, padded, oversized and broken passwords on every way a password
 * is set, and usernames with every kind of invisible character.
 */
@QuarkusTest
class AccountRulesTest {

    private static final String JSON_UTF8 = "application/json;charset=UTF-8";
    private static final String SHORT = "must be at least 12 characters long";
    private static final String LONG = "must be at most 1024 characters long";
    private static final String LISTED = "is too common: it is on a list of breached passwords";
    private static final String NAME = "must not be the username, nor the username with a few characters added";
    private static final String CONTROL = "must not contain control characters";
    private static final String EMOJI = "\uD83D\uDE00";

    /** argon2id of "pw" at the default parameters, as a user created before the policy would have stored it. */
    private static final String LEGACY_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$bGVnYWN5LXNhbHQtMDAwMQ$ZLn1XQgVkYXzVyJcwX1ko01l6NcW/ds2pCRCGo0BcR4";

    @Inject
    TestUsers users;

    @Inject
    UserRepository repository;

    private String adminToken;

    @BeforeEach
    void admin() {
        adminToken = users.create(Roles.ADMIN).token();
    }

    private RequestSpecification asAdmin() {
        return bearer(adminToken).contentType("application/json");
    }

    private static String newName() {
        return "rules-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private ValidatableResponse create(String username, String password) {
        return asAdmin().body(Map.of("username", username, "password", password)).post("/apiops/users/").then();
    }

    private static void refused(ValidatableResponse response, String field, String message) {
        response.statusCode(400)
                .header("Content-Type", JSON_UTF8)
                .body("error", equalTo("validation_failed"))
                .body("error_description", equalTo("The request has invalid fields"))
                .body("validation_errors.field", contains(field))
                .body("validation_errors.message", contains(message));
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "password", "abcdefghijk", "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00"
            + "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00" })
    void shouldRefuseShortPasswordsOnCreation(String password) {
        String name = newName();
        refused(create(name, password), "password", SHORT);
        asAdmin().get("/apiops/users/" + name).then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = { "Password123!", "PASSWORD1234", "password    ", "!!!!password", "12password34",
            "qwertyuiop123", "iloveyou2024", "Correct Horse Battery Staple" })
    void shouldRefuseBreachedPasswordsAndTheirPaddedForms(String password) {
        refused(create(newName(), password), "password", LISTED);
    }

    @Test
    void shouldRefuseTheUsernameAsPassword() {
        String name = newName();
        refused(create(name, name), "password", NAME);
        refused(create(name, name.toUpperCase()), "password", NAME);
        refused(create(name, name + "2024"), "password", NAME);
        refused(create(name, "!" + name + "!"), "password", NAME);
        refused(create(name, name.substring(0, 6) + "-__-" + name.substring(6)), "password", NAME);
        create(name, name + "20245").statusCode(201);
        requestToken(name, name + "20245").then().statusCode(200);
    }

    @Test
    void shouldCountCodePointsUpTo1024() {
        refused(create(newName(), "x".repeat(1025)), "password", LONG);
        refused(create(newName(), EMOJI.repeat(1025)), "password", LONG);
        refused(create(newName(), "x".repeat(2049)), "password", LONG);
        refused(create(newName(), "x".repeat(60_000)), "password", LONG);

        String name = newName();
        create(name, EMOJI.repeat(1024)).statusCode(201);
        requestToken(name, EMOJI.repeat(1024)).then().statusCode(200);
        requestToken(name, EMOJI.repeat(1023)).then().statusCode(401);

        String twelve = newName();
        create(twelve, EMOJI.repeat(12)).statusCode(201);
        requestToken(twelve, EMOJI.repeat(12)).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000",
            "correct\\u0000battery-staple", "correct\\nbattery-staple", "correct\\tbattery-staple",
            "correct\\u001bbattery-staple", "correct\\u007fbattery-staple", "correct\\u009bbattery-staple" })
    void shouldRefuseControlCharactersInPasswords(String escaped) {
        String name = newName();
        refused(asAdmin().body("{\"username\":\"" + name + "\",\"password\":\"" + escaped + "\"}")
                .post("/apiops/users/").then(), "password", CONTROL);
    }

    @ParameterizedTest
    @ValueSource(strings = { "correct-battery\\ud83d", "\\ude00correct-battery", "correct\\udc00\\ud800battery" })
    void shouldRefuseUnpairedSurrogatesInPasswords(String escaped) {
        refused(asAdmin().body("{\"username\":\"" + newName() + "\",\"password\":\"" + escaped + "\"}")
                .post("/apiops/users/").then(), "password", "must be valid Unicode text");
    }

    @Test
    void shouldApplyThePolicyToAnAdministratorsReset() {
        TestUser user = users.create();
        String path = "/apiops/users/" + user.username() + "/password/";
        refused(asAdmin().body(Map.of("password", "short")).put(path).then(), "password", SHORT);
        refused(asAdmin().body(Map.of("password", "Password123!")).put(path).then(), "password", LISTED);
        refused(asAdmin().body(Map.of("password", user.username() + "!")).put(path).then(), "password", NAME);
        refused(asAdmin().body(Map.of("password", "x".repeat(1025))).put(path).then(), "password", LONG);
        refused(asAdmin().body("{\"password\":\"correct\\u0000battery-staple\"}").put(path).then(), "password",
                CONTROL);
        requestToken(user.username(), user.password()).then().statusCode(200);
        // An unknown user is still a 404, whatever the password.
        asAdmin().body(Map.of("password", "a")).put("/apiops/users/" + newName() + "/password/").then()
                .statusCode(404);

        String strong = strongPassword();
        asAdmin().body(Map.of("password", strong)).put(path).then().statusCode(200);
        requestToken(user.username(), strong).then().statusCode(200);
    }

    @Test
    void shouldApplyThePolicyToTheUsersOwnChangeNamingNewPassword() {
        TestUser user = users.create();
        String token = user.token();
        for (String weak : List.of("short", "Password123!", user.username() + "-x", "x".repeat(1025))) {
            bearer(token).contentType("application/json")
                    .body(Map.of("currentPassword", user.password(), "newPassword", weak))
                    .put("/apiops/auth/me/password")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("validation_failed"))
                    .body("validation_errors.field", contains("newPassword"));
        }
        // A refused new password is not a guess at the current one: nothing was counted, the token still works.
        bearer(token).contentType("application/json")
                .body(Map.of("currentPassword", "wrong-wrong-wrong", "newPassword", "password"))
                .put("/apiops/auth/me/password").then().statusCode(400)
                .body("validation_errors.field", contains("newPassword"));
        asAdmin().get("/apiops/users/" + user.username()).then().body("failedAttempts", equalTo(0));
        bearer(token).get("/apiops/auth/me").then().statusCode(200);
        requestToken(user.username(), user.password()).then().statusCode(200);
    }

    @Test
    void shouldKeepAcceptingPasswordsSetBeforeThePolicy() {
        String name = newName();
        QuarkusTransaction.requiringNew().run(() -> repository.persist(
                User.create(name, LEGACY_HASH, List.of(), true, Instant.now())));
        requestToken(name, "pw").then().statusCode(200);
        requestToken(name, "pw ").then().statusCode(401);
        // Its next change must meet the policy, and "pw" is no current password to set again.
        String token = TestUsers.tokenFor(name, "pw");
        bearer(token).contentType("application/json").body(Map.of("currentPassword", "pw", "newPassword", "pw"))
                .put("/apiops/auth/me/password").then().statusCode(400)
                .body("validation_errors.field", contains("newPassword"));
    }

    @Test
    void shouldNeverEchoARefusedPassword() {
        String secret = "Sunshine-" + UUID.randomUUID().toString().substring(0, 2);
        create(newName(), secret).statusCode(400).body(not(containsString(secret)));
    }

    /** Every kind of character a look-alike name could hide, as JSON escapes, each inside and at the end. */
    @ParameterizedTest
    @ValueSource(strings = {
            "\\u0000", "\\u0007", "\\u001b", "\\u007f", "\\u0085", // Cc
            "\\u00ad", "\\u061c", "\\u180e", "\\u200b", "\\u200c", "\\u200d", "\\u200e", "\\u200f", // Cf
            "\\u202a", "\\u202b", "\\u202c", "\\u202d", "\\u202e", "\\u2060", "\\u2061", "\\u2064", "\\u2066",
            "\\u2067", "\\u2068", "\\u2069", "\\u206f", "\\ufeff", "\\ufff9", "\\ufffb",
            "\\udb40\\udc01", "\\udb40\\udc20", "\\udb40\\udc7f", // tags, Cf
            "\\u2028", "\\u2029", // Zl, Zp
            "\\u034f", "\\u115f", "\\u1160", "\\u17b4", "\\u17b5", "\\u180b", "\\u180f", "\\u2800", "\\u3164",
            "\\uffa0", "\\ufe00", "\\ufe0f", "\\udb40\\udd00", "\\udb40\\uddef", // invisible letters, marks, symbols
            "\\ud800", "\\udfff", // unpaired surrogates
            "\\ue000", "\\udbff\\udffd", // private use
            "\\u0378", "\\ufdd0", "\\uffff", "\\udb40\\udc00" // unassigned and noncharacters
    })
    void shouldRefuseUsernamesWithInvisibleCharacters(String escaped) {
        for (String name : List.of("ad" + escaped + "min", "admin" + escaped)) {
            asAdmin().body("{\"username\":\"" + name + "\",\"password\":\"" + strongPassword() + "\"}")
                    .post("/apiops/users/")
                    .then()
                    .statusCode(400)
                    .header("Content-Type", JSON_UTF8)
                    .body("error", equalTo("validation_failed"))
                    .body("validation_errors.field", contains("username"))
                    // A separator at the end is also white space at the end: either message names the fault.
                    .body("validation_errors.message", contains(containsString("must not ")));
        }
    }

    /** A username is a path segment: "." and ".." would name the collection or its parent in a client's path. */
    @ParameterizedTest
    @ValueSource(strings = { ".", "..", "..." })
    void shouldRefuseUsernamesOfDotsOnly(String name) {
        refused(create(name, strongPassword()), "username", "must not be made of dots only");
    }

    @Test
    void shouldAcceptDotsAmongOtherCharacters() {
        create("a.b." + UUID.randomUUID().toString().substring(0, 8), strongPassword()).statusCode(201);
    }

    /** A value of another type is refused, not converted: 0 or "false" does not disable a user. */
    @ParameterizedTest
    @ValueSource(strings = { "0", "1", "\"false\"", "\"true\"", "0.0" })
    void shouldRefuseAnEnabledFlagThatIsNotABoolean(String value) {
        TestUser user = users.create();
        refused(asAdmin().body("{\"enabled\":" + value + "}").put("/apiops/users/" + user.username()).then(),
                "enabled", "has the wrong type");
        asAdmin().get("/apiops/users/" + user.username()).then().statusCode(200).body("enabled", equalTo(true));
        asAdmin().body("{\"username\":" + 12345 + ",\"password\":\"" + strongPassword() + "\"}")
                .post("/apiops/users/")
                .then()
                .statusCode(400);
        asAdmin().get("/apiops/users/12345").then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = { " admin", "admin ", "\\tadmin", "admin\\n", "\\u00a0admin", "admin\\u00a0",
            "\\u3000admin", "admin\\u2003", "admin\\u1680", "\\u205fadmin", " ", "\\u2028" })
    void shouldRefuseUsernamesStartingOrEndingWithWhiteSpace(String escaped) {
        asAdmin().body("{\"username\":\"" + escaped + "\",\"password\":\"" + strongPassword() + "\"}")
                .post("/apiops/users/")
                .then()
                .statusCode(400)
                .body("validation_errors.field", contains("username"))
                .body("validation_errors.message", contains(
                        "must not start or end with white space"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "ad\\u00a0min", "ad\\u3000min", "ad\\u2002min", "ad\\u202fmin" })
    void shouldRefuseWhiteSpaceOtherThanThePlainSpaceInside(String escaped) {
        asAdmin().body("{\"username\":\"" + escaped + "\",\"password\":\"" + strongPassword() + "\"}")
                .post("/apiops/users/")
                .then()
                .statusCode(400)
                .body("validation_errors.field", contains("username"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Zoë", "Zoe\u0308", "名前", "имя-пользователя", "مستخدم١٢٣", "उपयोगकर्ता", "ユーザー",
            "사용자", "ad min", "rocket\uD83D\uDE80", "o'brien.smith", "user@example.com", "\u0130stanbul" })
    void shouldAcceptLettersOfAnyScriptAndCompareThemExactly(String base) {
        String name = base + "-" + UUID.randomUUID().toString().substring(0, 6);
        String password = strongPassword();
        create(name, password).statusCode(201).body("username", equalTo(name));
        requestToken(name, password).then().statusCode(200);
        // No case folding and no normalization: the look-alikes are unknown users.
        if (!name.toUpperCase().equals(name)) {
            requestToken(name.toUpperCase(), password).then().statusCode(401);
        }
        String normalized = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC);
        if (!normalized.equals(name)) {
            requestToken(normalized, password).then().statusCode(401);
        }
    }
}
