package io.apiops.bearer;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.claim;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.restassured.http.Header;
import io.restassured.http.Headers;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import io.apiops.TestUsers;

/**
 * The bearer check's fast path at the router, on a server of its own that answers with whom the route authenticated
 * ({@code -} for nobody): it authenticates a token the bearer check has verified before and admits now, and leaves
 * everything else, refusals included, to the mechanism. Through the service itself, a public endpoint stays public
 * whatever bearer comes with the request.
 */
@QuarkusTest
class KnownBearerRouteTest {

    private static final String INVALID_TOKEN = "{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid token\"}";
    private static final String HELLO = "/apiops/test/hello/x";

    @Inject
    TestUsers users;

    @Inject
    KnownBearerRoute route;

    @Inject
    Vertx vertx;

    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        Router router = Router.router(vertx);
        router.route().handler(route::authenticate);
        router.route().handler(context -> context.end(context.user() instanceof QuarkusHttpUser user
                ? user.getSecurityIdentity().getPrincipal().getName() : "-"));
        // Room for headers beyond the bearer check's own limit, so that the route, not the server, meets them.
        HttpServerOptions options = new HttpServerOptions().setMaxHeaderSize(32 * 1024);
        server = vertx.createHttpServer(options).requestHandler(router).listen(0).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private RequestSpecification atRoute() {
        return given().port(server.actualPort());
    }

    private String authenticatedAtRoute(String authorization) {
        return atRoute().header("Authorization", authorization).get("/").then().statusCode(200).extract().asString();
    }

    @Test
    void shouldAuthenticateATokenVerifiedBeforeAndNothingElse() {
        TestUsers.TestUser owner = users.create();
        String token = owner.token();
        assertAtRoute("Bearer " + token, "-");
        bearer(token).get(HELLO).then().statusCode(200);

        assertAtRoute("Bearer " + token, owner.username());
        assertAtRoute("Bearer " + token + "=", "-");
        assertAtRoute("bearer " + token, "-");
        assertAtRoute("Bearer  " + token, "-");
        assertAtRoute("Basic " + token, "-");
        assertAtRoute("Bearer " + token + "*".repeat(15_000), "-");
        String[] parts = token.split("\\.");
        assertAtRoute("Bearer " + parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse(), "-");
        assertAtRoute("Bearer " + parts[0] + "." + parts[1] + ".", "-");
        atRoute().get("/").then().body(equalTo("-"));
        atRoute().headers(new Headers(new Header("Authorization", "Bearer " + token),
                new Header("Authorization", "Bearer " + token))).get("/").then().body(equalTo("-"));
    }

    @Test
    void shouldLeaveARevokedTokenToTheMechanismWhichRefusesIt() {
        String token = users.create().token();
        bearer(token).get(HELLO).then().statusCode(200);
        bearer(token).delete("/apiops/auth/tokens/" + claim(token, "jti")).then().statusCode(204);

        assertAtRoute("Bearer " + token, "-");
        bearer(token).get(HELLO).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body(equalTo(INVALID_TOKEN));
    }

    @Test
    void shouldLeaveATokenFromAnAddressItMayNotBeUsedFromToTheMechanism() {
        String login = users.create().token();
        String expiry = Instant.now().plusSeconds(120).toString();
        String elsewhere = bearer(login).contentType("application/json")
                .body(Map.of("name", "elsewhere", "expireDate", expiry, "allowedAddresses", List.of("192.0.2.0/24")))
                .post("/apiops/auth/tokens/").then().statusCode(201).extract().path("access_token");
        bearer(elsewhere).get(HELLO).then().statusCode(401).body(equalTo(INVALID_TOKEN));

        assertAtRoute("Bearer " + elsewhere, "-");
        bearer(elsewhere).get(HELLO).then().statusCode(401).body(equalTo(INVALID_TOKEN));
    }

    @Test
    void shouldKeepAPublicEndpointPublicWhateverTheBearer() {
        String token = users.create().token();
        bearer(token).get(HELLO).then().statusCode(200);
        bearer(token).delete("/apiops/auth/tokens/" + claim(token, "jti")).then().statusCode(204);

        for (String authorization : List.of("Bearer " + token, "Bearer " + token + "=", "Bearer x", "Bearer")) {
            given().header("Authorization", authorization).get("/apiops/test/healthcheck").then().statusCode(200)
                    .body(equalTo("OK"));
        }
    }

    private void assertAtRoute(String authorization, String expected) {
        assertThat(authenticatedAtRoute(authorization)).as(authorization)
                .isEqualTo(expected);
    }
}
