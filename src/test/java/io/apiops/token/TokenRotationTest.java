package io.apiops.token;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.claim;
import static io.apiops.TestUsers.form;
import static io.apiops.token.TokenScopeTest.create;
import static io.apiops.token.TokenScopeTest.created;
import static io.apiops.token.TokenScopeTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import io.apiops.DefaultRoles;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;
import io.apiops.user.Roles;

/** Rotation: a token replaced by a new one of the same kind, and the whole chain ended when an old one comes back. */
@QuarkusTest
class TokenRotationTest {

    @Inject
    TestUsers users;

    static Response rotate(String bearerToken, String id) {
        return bearer(bearerToken).post("/apiops/auth/tokens/" + id + "/rotate");
    }

    static Map<String, Object> listed(String bearerToken, String id) {
        return bearer(bearerToken).get("/apiops/auth/tokens/").then().statusCode(200).extract()
                .path("resultList.find { it.id == '" + id + "' }");
    }

    @Test
    void shouldReplaceATokenWithOneOfTheSameKindAndRevokeTheOld() {
        TestUser owner = users.create(DefaultRoles.API_SECURITY, DefaultRoles.MANAGE_PROXIES);
        String login = owner.token();
        Response first = create(login, Map.of("name", "deployer", "roleNameList", List.of(DefaultRoles.API_SECURITY),
                "allowedAddresses", List.of("127.0.0.1", "10.0.0.0/8")));
        String old = created(first);
        String oldId = first.path("id");

        // A token rotates itself, as automation does.
        Response rotated = rotate(old, oldId);
        rotated.then().statusCode(201)
                .body("name", equalTo("deployer"))
                .body("expireDate", equalTo(first.path("expireDate")))
                .body("token_type", equalTo("Bearer"));
        String next = rotated.path("access_token");
        assertThat(rotated.<String> path("id")).isNotEqualTo(oldId).isEqualTo(claim(next, "jti"));
        assertThat(claim(next, "scope")).isEqualTo(DefaultRoles.API_SECURITY);

        bearer(next).get("/apiops/test/hello/x").then().statusCode(200);
        Map<String, Object> oldListed = listed(login, oldId);
        assertThat(oldListed).containsEntry("revoked", true).containsEntry("revokedReason", "rotated");
        Map<String, Object> newListed = listed(login, rotated.path("id"));
        assertThat(newListed).containsEntry("roleNameList", List.of(DefaultRoles.API_SECURITY))
                .containsEntry("allowedAddresses", List.of("127.0.0.1", "10.0.0.0/8"))
                .containsEntry("revoked", false).containsEntry("name", "deployer");
    }

    @Test
    void shouldEndTheWholeChainWhenARotatedAwayTokenIsPresentedAgain() {
        String admin = users.create(Roles.ADMIN).token();
        TestUser owner = users.create();
        String login = owner.token();
        Response first = create(login, Map.of("name", "ci"));
        String t1 = created(first);
        Response second = rotate(t1, first.path("id"));
        String t2 = created(second);
        Response third = rotate(t2, second.path("id"));
        String t3 = created(third);
        bearer(t3).get("/apiops/test/hello/x").then().statusCode(200);

        // Introspecting a rotated-away token tells it is not active, and ends nothing.
        form().header("Authorization", "Bearer " + admin).formParam("token", t1).post("/apiops/auth/introspect")
                .then().statusCode(200).body(equalTo("{\"active\":false}"));
        bearer(t3).get("/apiops/test/hello/x").then().statusCode(200);

        // Presenting it as a bearer token does.
        bearer(t1).get("/apiops/test/hello/x").then().statusCode(401);
        bearer(t3).get("/apiops/test/hello/x").then().statusCode(401);
        assertThat(listed(login, third.path("id"))).containsEntry("revokedReason", "reuse_detected");
        assertThat(listed(login, first.path("id"))).containsEntry("revokedReason", "rotated");
        // Other tokens of the owner are untouched.
        bearer(login).get("/apiops/test/hello/x").then().statusCode(200);
        bearer(admin).get("/apiops/audit/?type=TOKEN_ROTATED&user=" + owner.username()).then().statusCode(200)
                .body("resultCount", equalTo(2));
    }

    @Test
    void shouldRefuseToRotateWhatCannotBeRotated() {
        TestUser owner = users.create();
        TestUser other = users.create();
        String login = owner.token();
        Response made = create(login, Map.of());
        String id = made.path("id");

        rotate(other.token(), id).then().statusCode(404).body("error", equalTo("not_found"));
        for (String bad : List.of("not-a-uuid", "00000000-0000-0000-0000-000000000000", id + "x", "%20")) {
            rotate(login, bad).then().statusCode(404).body("error", equalTo("not_found"));
        }
        json(login).body(Map.of("expireDate", "2020-01-01T00:00:00Z")).post("/apiops/auth/tokens/" + id + "/rotate")
                .then().statusCode(400).body("validation_errors.field", contains("expireDate"));
        json(login).body(Map.of("unknown", 1)).post("/apiops/auth/tokens/" + id + "/rotate").then().statusCode(400);
        json(login).body("{").post("/apiops/auth/tokens/" + id + "/rotate").then().statusCode(400);

        bearer(login).delete("/apiops/auth/tokens/" + id).then().statusCode(204);
        rotate(login, id).then().statusCode(409).body("error", equalTo("conflict"));
        assertThat(listed(login, id)).containsEntry("revokedReason", "revoked");
    }

    @Test
    void shouldLetAnAdministratorRotateAnyonesTokenForItsOwner() {
        String admin = users.create(Roles.ADMIN).token();
        TestUser owner = users.create(DefaultRoles.API_SECURITY);
        Response made = create(owner.token(), Map.of("name", "owned"));
        Response rotated = rotate(admin, made.path("id"));
        rotated.then().statusCode(201);
        assertThat(claim(rotated.path("access_token"), "sub")).isEqualTo(owner.username());
    }

    @Test
    void shouldAllowOnlyOneOfTwoConcurrentRotations() throws Exception {
        TestUser owner = users.create();
        Response made = create(owner.token(), Map.of());
        String login = owner.token();
        String id = made.path("id");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> rotate(login, id).statusCode()));
            }
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).containsOnlyOnce(201);
            assertThat(statuses).allMatch(status -> status == 201 || status == 409);
        } finally {
            pool.shutdownNow();
        }
        long live = bearer(owner.token()).get("/apiops/auth/tokens/").then().extract()
                .<List<Map<String, Object>>> path("resultList").stream()
                .filter(token1 -> !"token endpoint".equals(token1.get("name")) && !(Boolean) token1.get("revoked"))
                .count();
        assertThat(live).isEqualTo(1);
    }

    @Test
    void shouldEndWhatAChainMemberMadeWhenTheChainEnds() {
        TestUser owner = users.create();
        String login = owner.token();
        Response first = create(login, Map.of("name", "bot"));
        String t1 = created(first);
        String t2 = created(rotate(t1, first.path("id")));
        // Whoever holds t2 makes a token of its own from it ...
        String escape = created(create(t2, Map.of("name", "escape", "expireDate", first.path("expireDate"))));
        bearer(escape).get("/apiops/test/hello/x").then().statusCode(200);
        // ... and loses it with the chain when the rotated-away t1 comes back.
        bearer(t1).get("/apiops/test/hello/x").then().statusCode(401);
        bearer(t2).get("/apiops/test/hello/x").then().statusCode(401);
        bearer(escape).get("/apiops/test/hello/x").then().statusCode(401);
        // Tokens made with a sign-in are not part of any chain.
        bearer(login).get("/apiops/test/hello/x").then().statusCode(200);
    }

    @Test
    void shouldLeaveNoLiveTokenWhenARotationRacesAReuse() throws Exception {
        TestUser owner = users.create();
        String login = owner.token();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                String name = "race-" + round;
                Response first = create(login, Map.of("name", name));
                String a = created(first);
                Response second = rotate(a, first.path("id"));
                String b = created(second);
                String bId = second.path("id");
                var start = new java.util.concurrent.CountDownLatch(1);
                var rotation = pool.submit(() -> {
                    start.await();
                    return rotate(b, bId).statusCode();
                });
                var reuse = pool.submit(() -> {
                    start.await();
                    return bearer(a).get("/apiops/test/hello/x").statusCode();
                });
                start.countDown();
                assertThat(reuse.get()).isEqualTo(401);
                assertThat(rotation.get()).isIn(201, 401, 409);
                List<Map<String, Object>> chain = bearer(login).get("/apiops/auth/tokens/").then().extract()
                        .<List<Map<String, Object>>> path("resultList").stream()
                        .filter(token -> name.equals(token.get("name"))).toList();
                assertThat(chain).as(name).allMatch(token -> Boolean.TRUE.equals(token.get("revoked")));
                assertThat(listed(login, first.path("id"))).containsEntry("revokedReason", "rotated");
                assertThat(listed(login, bId).get("revokedReason")).isIn("rotated", "reuse_detected");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldApplyTheSameRulesToEverySpellingOfTheRotationPath() {
        TestUser owner = users.create();
        TestUser other = users.create();
        String login = owner.token();
        int routed = 0;
        for (String spelling : List.of("/apiops/auth/tokens/%s/rotate/", "/apiops/auth/tokens/%s/rotate;x",
                "/apiops;x/auth/tokens/%s/rotate", "/apiops/auth/tokens;x/%s/rotate", "//apiops/auth/tokens/%s/rotate",
                "/apiops/auth/tokens/./%s/rotate")) {
            Response made = create(login, Map.of("name", "spelled"));
            String path = String.format(spelling, made.<String> path("id"));
            int anonymous = io.restassured.RestAssured.given().post(path).statusCode();
            if (anonymous == 404) {
                // A spelling that reaches no endpoint reaches it for nobody: the token stays as it was.
                bearer(login).post(path).then().statusCode(404);
                assertThat(listed(login, made.path("id"))).as(path).containsEntry("revoked", false);
                continue;
            }
            routed++;
            assertThat(anonymous).as(path).isEqualTo(401);
            // Someone else's token stays invisible; the owner's rotates once.
            bearer(other.token()).post(path).then().statusCode(404);
            bearer(login).post(path).then().statusCode(201);
            bearer(login).post(path).then().statusCode(409);
        }
        assertThat(routed).isGreaterThanOrEqualTo(2);
    }
}
