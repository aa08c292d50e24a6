package io.apiops.token;

import static io.apiops.TestUsers.bearer;
import static io.apiops.token.TokenScopeTest.create;
import static io.apiops.token.TokenScopeTest.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;
import io.apiops.user.Roles;

/** The administrators' inventory of every user's tokens: filters, paging, and refusals of malformed filters. */
@QuarkusTest
class TokenInventoryTest {

    @Inject
    TestUsers users;

    @Test
    void shouldFilterAndPageEveryUsersTokens() {
        String admin = users.create(Roles.ADMIN).token();
        TestUser owner = users.create();
        String login = owner.token();
        String soon = created(create(login, Map.of("name", "soon")));
        Map<String, Object> never = new HashMap<>();
        never.put("name", "forever");
        never.put("expireDate", null);
        never.put("currentPassword", owner.password());
        String forever = created(create(login, never));
        bearer(forever).get("/apiops/test/hello/x").then().statusCode(200);
        String ended = created(create(login, Map.of("name", "ended")));
        bearer(login).delete("/apiops/auth/tokens/" + TestUsers.claim(ended, "jti")).then().statusCode(204);
        assertThat(soon).isNotNull();

        String base = "/apiops/tokens/?owner=" + owner.username();
        bearer(admin).get(base).then().statusCode(200)
                .body("status", equalTo("SUCCESS"))
                .body("resultCount", equalTo(4))
                .body("resultList.name", contains("ended", "forever", "soon", "token endpoint"))
                .body("resultList.owner", contains(owner.username(), owner.username(), owner.username(),
                        owner.username()));
        bearer(admin).get(base + "&active=true").then().body("resultList.name",
                contains("forever", "soon", "token endpoint"));
        bearer(admin).get(base + "&active=false").then().body("resultList.name", contains("ended"));
        String tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).toString();
        bearer(admin).get(base + "&expiringBefore=" + tomorrow).then()
                .body("resultList.name", contains("ended", "soon", "token endpoint"));
        // Never used since: the ones never used at all included; "forever" and the login token were used.
        bearer(admin).get(base + "&unusedSince=" + tomorrow + "&active=true").then().body("resultCount", equalTo(3));
        bearer(admin).get(base + "&size=2").then().body("resultCount", equalTo(4))
                .body("resultList.name", contains("ended", "forever"));
        bearer(admin).get(base + "&size=2&page=1").then().body("resultCount", equalTo(4))
                .body("resultList.name", contains("soon", "token endpoint"));
        bearer(admin).get(base + "&size=2&page=9").then().body("resultCount", equalTo(4))
                .body("resultList", org.hamcrest.Matchers.empty());
        bearer(admin).get("/apiops/tokens/?owner=nobody-at-all").then().statusCode(200)
                .body("resultCount", equalTo(0));
        bearer(admin).get("/apiops/tokens/").then().statusCode(200);
    }

    /**
     * One's own list and an administrator's list of one user take the inventory's filters and pages (newest first, 100
     * by default, at most 500): a user who signs in for every call has a token record for each sign-in, and a whole
     * list of them could outgrow the heap.
     */
    @Test
    void shouldFilterAndPageOnesOwnAndOneUsersTokensAlike() {
        String admin = users.create(Roles.ADMIN).token();
        TestUser owner = users.create();
        String login = owner.token();
        created(create(login, Map.of("name", "soon")));
        Map<String, Object> never = new HashMap<>();
        never.put("name", "forever");
        never.put("expireDate", null);
        never.put("currentPassword", owner.password());
        created(create(login, never));
        String ended = created(create(login, Map.of("name", "ended")));
        bearer(login).delete("/apiops/auth/tokens/" + TestUsers.claim(ended, "jti")).then().statusCode(204);

        Map<String, String> lists = Map.of("/apiops/auth/tokens/", login,
                "/apiops/users/" + owner.username() + "/tokens/", admin);
        lists.forEach((list, caller) -> {
            bearer(caller).get(list).then().statusCode(200).body("resultCount", equalTo(4))
                    .body("resultList.name", contains("ended", "forever", "soon", "token endpoint"));
            bearer(caller).get(list + "?size=2").then().body("resultCount", equalTo(4))
                    .body("resultList.name", contains("ended", "forever"));
            bearer(caller).get(list + "?size=2&page=1").then().body("resultCount", equalTo(4))
                    .body("resultList.name", contains("soon", "token endpoint"));
            bearer(caller).get(list + "?active=true").then().body("resultCount", equalTo(3))
                    .body("resultList.name", contains("forever", "soon", "token endpoint"));
            bearer(caller).get(list + "?active=false").then().body("resultList.name", contains("ended"));
            bearer(caller).get(list + "?named=true").then().body("resultCount", equalTo(3))
                    .body("resultList.name", contains("ended", "forever", "soon"));
            bearer(caller).get(list + "?named=false&active=true").then().body("resultCount", equalTo(1))
                    .body("resultList.name", contains("token endpoint"));
            // Another spelling of the path is the same paged list or none at all, never the whole list.
            for (String spelling : List.of(list.replace("/apiops/", "//apiops/"), list.replace("/tokens/", "/./tokens/"),
                    list.substring(0, list.length() - 1), list.replace("/tokens/", "/tokens;x/"))) {
                var answer = bearer(caller).get(spelling + "?size=2").then().extract();
                assertThat(answer.statusCode()).as(spelling).isIn(200, 404);
                if (answer.statusCode() == 200) {
                    assertThat(answer.<List<String>> path("resultList.name")).as(spelling).hasSize(2);
                }
            }
            for (String bad : List.of("active=yes", "named=1", "named=true&named=false", "size=99999999999",
                    "page=99999999999", "size=0", "size=501", "page=-1", "size=2&size=3",
                    "expiringBefore=tomorrow")) {
                bearer(caller).get(list + "?" + bad).then().statusCode(400)
                        .body("error", equalTo("validation_failed"))
                        .body("validation_errors.field", contains(bad.substring(0, bad.indexOf('='))));
            }
        });
        bearer(admin).get("/apiops/users/nobody-at-all/tokens/?size=2").then().statusCode(404);
        bearer(admin).get("/apiops/users/nobody-at-all/tokens/?size=0").then().statusCode(400);
    }

    @Test
    void shouldRefuseMalformedFiltersAndNonAdministrators() {
        String admin = users.create(Roles.ADMIN).token();
        Map<String, String> bad = Map.of("active", "yes", "expiringBefore", "tomorrow", "unusedSince", "2026-13-01",
                "page", "-1", "size", "501");
        bad.forEach((name, value) -> bearer(admin).get("/apiops/tokens/?" + name + "=" + value).then()
                .statusCode(400).body("error", equalTo("validation_failed"))
                .body("validation_errors.field", contains(name)));
        Map<String, String> unstorable = Map.of("owner", "alice\u0000", "expiringBefore", "+294276-01-01T00:00:00Z",
                "unusedSince", "-000001-01-01T00:00:00Z");
        unstorable.forEach((name, value) -> bearer(admin).queryParam(name, value).get("/apiops/tokens/").then()
                .statusCode(400).body("error", equalTo("validation_failed"))
                .body("validation_errors.field", contains(name)));
        for (String query : List.of("size=0", "size=1e3", "page=1.5", "page=99999999999", "size=+5", "size=05")) {
            bearer(admin).get("/apiops/tokens/?" + query).then().statusCode(400);
        }
        bearer(users.create().token()).get("/apiops/tokens/").then().statusCode(403);
        io.restassured.RestAssured.given().get("/apiops/tokens/").then().statusCode(401);
    }

    @Test
    void shouldKeepTheInventoryForAdministratorsOnEverySpelling() {
        String someone = users.create().token();
        for (String path : List.of("/apiops/tokens", "/apiops/tokens;x/", "/apiops;x/tokens/", "//apiops/tokens/",
                "/apiops/./tokens/")) {
            int status = bearer(someone).get(path).then().extract().statusCode();
            assertThat(status).as(path).isIn(403, 404);
        }
        // A repeated parameter is refused, not read by one of its occurrences.
        String admin = users.create(Roles.ADMIN).token();
        for (String query : List.of("size=2&size=600", "owner=a&owner=b", "active=true&active=false")) {
            bearer(admin).get("/apiops/tokens/?" + query).then().statusCode(400)
                    .body("error", equalTo("validation_failed"));
        }
    }
}
