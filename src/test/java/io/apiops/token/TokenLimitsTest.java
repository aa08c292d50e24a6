package io.apiops.token;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.form;
import static io.apiops.token.TokenScopeTest.create;
import static io.apiops.token.TokenScopeTest.created;
import static io.apiops.token.TokenScopeTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;
import io.apiops.user.Roles;

/**
 * The token policy with its limits set, and a role catalogue of its own: the longest lifetime, the most tokens per
 * user (exact under concurrency), the most tokens made per user in an hour, the order of refusals, a catalogue role
 * beyond the default five, and the role that may introspect.
 */
@QuarkusTest
@TestProfile(TokenLimitsTest.Limits.class)
class TokenLimitsTest {

    static final String GATEWAY = "ROLE_GATEWAY";

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("apiops.token.max-lifetime", "P30D",
                    "apiops.token.max-per-user", "3",
                    "apiops.token.max-created-per-hour", "5",
                    "apiops.roles", "ROLE_ADMIN,ROLE_MANAGE_PROXIES,ROLE_MANAGE_PROXY_GROUPS,"
                            + "ROLE_DEPLOY_UNDEPLOY_PROXIES,ROLE_API_SECURITY," + GATEWAY,
                    "apiops.introspection.role", GATEWAY);
        }
    }

    @Inject
    TestUsers users;

    @Inject
    EntityManager entityManager;

    @Test
    void shouldRefuseTokensBeyondTheLongestLifetime() {
        TestUser owner = users.create();
        Map<String, Object> never = new HashMap<>();
        never.put("expireDate", null);
        never.put("currentPassword", owner.password());
        create(owner.token(), never).then().statusCode(400)
                .body("validation_errors.field", contains("expireDate"));
        create(owner.token(), Map.of("expireDate", Instant.now().plus(31, ChronoUnit.DAYS).toString(),
                "currentPassword", owner.password())).then().statusCode(400)
                .body("validation_errors.field", contains("expireDate"));
        created(create(owner.token(), Map.of("expireDate", Instant.now().plus(29, ChronoUnit.DAYS).toString(),
                "currentPassword", owner.password())));
        // Validation comes before re-authentication: no password, still the 400.
        create(owner.token(), Map.of("expireDate", Instant.now().plus(31, ChronoUnit.DAYS).toString())).then()
                .statusCode(400);
    }

    @Test
    void shouldHoldEachUserToTheMostLiveTokensEvenUnderConcurrency() throws Exception {
        TestUser owner = users.create();
        String login = owner.token();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> create(login, Map.of()).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(3);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(3);
        create(login, Map.of()).then().statusCode(409).body("error", equalTo("conflict"));

        // The token endpoint's tokens are not counted; a revoked token frees its place.
        owner.token();
        String id = bearer(login).get("/apiops/auth/tokens/").then().extract()
                .path("resultList.find { it.name == 'scoped' }.id");
        bearer(login).delete("/apiops/auth/tokens/" + id).then().statusCode(204);
        created(create(login, Map.of()));
    }

    @Test
    void shouldHoldEachUserToTheMostTokensMadeInAnHourRotatedAndRevokedOnesIncluded() {
        // Rotations of one token: each revoked one stays on the denylist until it expires, so each counts.
        TestUser rotating = users.create();
        String current = created(create(rotating.token(), Map.of()));
        for (int i = 0; i < 4; i++) {
            current = rotateOwn(current).then().statusCode(201).extract().path("access_token");
        }
        Response refused = rotateOwn(current);
        refused.then().statusCode(429)
                .body("error", equalTo("rate_limit_exceeded"))
                .body("error_description", startsWith("You were given 5 tokens in the last hour, the most allowed;"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(3500L, 3601L);
        bearer(current).get("/apiops/auth/me").then().statusCode(200);

        // Creations, each revoked at once: none is live, all of them count.
        TestUser creating = users.create();
        String login = creating.token();
        for (int i = 0; i < 5; i++) {
            String id = create(login, Map.of()).then().statusCode(201).extract().path("id");
            bearer(login).delete("/apiops/auth/tokens/" + id).then().statusCode(204);
        }
        create(login, Map.of()).then().statusCode(429).header("Retry-After", notNullValue());
        // The token endpoint's tokens are not counted, and another user is not held by this one's count.
        creating.token();
        created(create(users.create().token(), Map.of()));
    }

    private static Response rotateOwn(String token) {
        String id = bearer(token).get("/apiops/auth/tokens/").then().statusCode(200).extract()
                .path("resultList.find { it.name == 'scoped' && !it.revoked }.id");
        return bearer(token).post("/apiops/auth/tokens/" + id + "/rotate");
    }

    @Test
    void shouldJudgeValidationThenReauthenticationThenLimits() {
        TestUser owner = users.create();
        String login = owner.token();
        for (int i = 0; i < 3; i++) {
            created(create(login, Map.of()));
        }
        String later = Instant.now().plus(2, ChronoUnit.DAYS).toString();
        create(login, Map.of("expireDate", later, "allowedAddresses", List.of("300.0.0.1"))).then().statusCode(400);
        create(login, Map.of("expireDate", later)).then().statusCode(403)
                .body("error", equalTo("reauthentication_required"));
        create(login, Map.of("expireDate", later, "currentPassword", owner.password())).then().statusCode(409);
        // Rotation replaces one token with one: it is not refused at the limit.
        String id = bearer(login).get("/apiops/auth/tokens/").then().extract()
                .path("resultList.find { it.name == 'scoped' }.id");
        bearer(login).post("/apiops/auth/tokens/" + id + "/rotate").then().statusCode(201);
    }

    @Test
    void shouldTakeRolesFromTheConfiguredCatalogue() {
        String admin = users.create(Roles.ADMIN).token();
        json(admin).body(Map.of("username", "gw-" + System.nanoTime(), "password", TestUsers.strongPassword(),
                "roleNameList", List.of(GATEWAY))).post("/apiops/users/").then().statusCode(201)
                .body("roleNameList", contains(GATEWAY));
        json(admin).body(Map.of("username", "x-" + System.nanoTime(), "password", TestUsers.strongPassword(),
                "roleNameList", List.of("ROLE_OTHER"))).post("/apiops/users/").then().statusCode(400)
                .body("validation_errors[0].message", equalTo("must be one of ROLE_ADMIN, ROLE_MANAGE_PROXIES, "
                        + "ROLE_MANAGE_PROXY_GROUPS, ROLE_DEPLOY_UNDEPLOY_PROXIES, ROLE_API_SECURITY, " + GATEWAY));
        bearer(admin).get("/apiops/console/roles.json").then().statusCode(200)
                .body("roles", org.hamcrest.Matchers.hasItem(GATEWAY));
        // The database's role table, which every held role references, holds the catalogue.
        assertThat(entityManager.createNativeQuery("select count(*) from role where name = ?1")
                .setParameter(1, GATEWAY).getSingleResult()).isEqualTo(1L);
    }

    @Test
    void shouldLetTheIntrospectionRoleIntrospect() {
        TestUser gateway = users.create(GATEWAY);
        TestUser someone = users.create(Roles.ADMIN);
        String token = someone.token();
        form().header("Authorization", "Bearer " + gateway.token()).formParam("token", token)
                .post("/apiops/auth/introspect").then().statusCode(200).body("active", equalTo(true))
                .body("scope", equalTo(Roles.ADMIN));
        form().header("Authorization", "Bearer " + users.create().token()).formParam("token", token)
                .post("/apiops/auth/introspect").then().statusCode(403);
    }
}
