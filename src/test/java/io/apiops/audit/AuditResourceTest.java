package io.apiops.audit;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.util.ArrayList;
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

@QuarkusTest
class AuditResourceTest {

    @Inject
    TestUsers users;

    @Test
    void shouldRecordAFailedLoginWithClientAddressAndAgentButNoPassword() {
        TestUser user = users.create();
        String admin = users.create(Roles.ADMIN).token();
        form().header("User-Agent", "spray-tool/9")
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", user.username())
                .formParam("client_secret", "Guess-1234")
                .post("/apiops/auth/token").then().statusCode(401);

        bearer(admin).queryParam("user", user.username()).queryParam("type", "LOGIN_FAILED")
                .get("/apiops/audit/")
                .then()
                .statusCode(200)
                .body("status", equalTo("SUCCESS"))
                .body("resultCount", equalTo(1))
                .body("resultList[0].subject", equalTo(user.username()))
                .body("resultList[0].actor", equalTo(user.username()))
                .body("resultList[0].clientIp", equalTo("127.0.0.1"))
                .body("resultList[0].userAgent", equalTo("spray-tool/9"))
                .body("resultList[0].detail", equalTo("wrong_password"))
                .body(not(containsString("Guess-1234")));
    }

    /**
     * Logins run on the login turns' threads with their own request's context: many at once, good and bad, each is
     * recorded with its own client's user agent, never a neighbour's, and none without one.
     */
    @Test
    void shouldRecordEachConcurrentLoginWithItsOwnRequest() throws Exception {
        int clients = 24;
        List<TestUser> accounts = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            accounts.add(users.create());
        }
        String admin = users.create(Roles.ADMIN).token();

        List<Integer> statuses = TestUsers.atOnce(clients, client -> form()
                .header("User-Agent", "client-" + client)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", accounts.get(client).username())
                .formParam("client_secret", client % 2 == 0 ? accounts.get(client).password() : "Wrong-12345")
                .post("/apiops/auth/token")).stream().map(Response::statusCode).toList();

        for (int client = 0; client < clients; client++) {
            boolean good = client % 2 == 0;
            assertThat(statuses.get(client)).isEqualTo(good ? 200 : 401);
            bearer(admin).queryParam("user", accounts.get(client).username())
                    .queryParam("type", good ? "LOGIN_SUCCEEDED" : "LOGIN_FAILED")
                    .get("/apiops/audit/")
                    .then()
                    .statusCode(200)
                    .body("resultCount", equalTo(1))
                    .body("resultList[0].actor", equalTo(accounts.get(client).username()))
                    .body("resultList[0].clientIp", equalTo("127.0.0.1"))
                    .body("resultList[0].userAgent", equalTo("client-" + client));
        }
    }

    @Test
    void shouldRecordWhoChangedWhat() {
        TestUser admin = users.create(Roles.ADMIN);
        String token = admin.token();
        TestUser user = users.create();
        bearer(token).post("/apiops/users/" + user.username() + "/lock/").then().statusCode(200);
        bearer(token).post("/apiops/users/" + user.username() + "/unlock/").then().statusCode(200);
        bearer(token).contentType("application/json").body(Map.of("enabled", false))
                .put("/apiops/users/" + user.username()).then().statusCode(200);

        bearer(token).queryParam("user", user.username()).get("/apiops/audit")
                .then()
                .statusCode(200)
                .body("resultList.type", hasItems("USER_CREATED", "LOCKED", "UNLOCKED", "USER_DISABLED",
                        "USER_UPDATED"))
                .body("resultList.findAll { it.type == 'LOCKED' }.actor", contains(admin.username()));
    }

    @Test
    void shouldFilterByTimeAndPage() {
        String token = users.create(Roles.ADMIN).token();
        bearer(token).queryParam("from", Instant.now().plusSeconds(3600).toString()).get("/apiops/audit")
                .then().statusCode(200).body("resultCount", equalTo(0));
        bearer(token).queryParam("limit", "2").get("/apiops/audit")
                .then().statusCode(200).body("resultList.size()", equalTo(2));
        bearer(token).queryParam("type", "LOGIN_SUCCEEDED").queryParam("limit", "5").get("/apiops/audit")
                .then().statusCode(200).body("resultList.type", everyItem(equalTo("LOGIN_SUCCEEDED")));
    }

    @Test
    void shouldRejectMalformedFilters() {
        String token = users.create(Roles.ADMIN).token();
        for (Map<String, String> query : new Map[] { Map.of("type", "COFFEE"), Map.of("from", "yesterday"),
                Map.of("limit", "0"), Map.of("limit", "lots"), Map.of("offset", "-1") }) {
            bearer(token).queryParams(query).get("/apiops/audit")
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
        }
    }

    @Test
    void shouldBeForAdministratorsOnly() {
        bearer(users.create(DefaultRoles.API_SECURITY).token()).get("/apiops/audit").then().statusCode(403);
    }
}
