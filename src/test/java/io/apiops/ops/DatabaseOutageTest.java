package io.apiops.ops;

import static io.apiops.TestUsers.bearer;
import static io.apiops.TestUsers.requestToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import io.apiops.IsolatedSchema;
import io.apiops.ManagementInterface;
import io.apiops.TcpProxy;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/**
 * The database goes away under a running service and comes back. The service reaches PostgreSQL through a
 * {@link TcpProxy} that the test cuts.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.ThroughProxy.class)
class DatabaseOutageTest {

    static TcpProxy proxy;

    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(ProxyResource.class));
        }
    }

    public static class ProxyResource implements QuarkusTestResourceLifecycleManager {

        private String schema;

        @Override
        public Map<String, String> start() {
            try {
                proxy = new TcpProxy("127.0.0.1", 5432).start();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            // a schema of this run's own: parallel runs of this test on one server must not clean each other's
            schema = "apiops_outage_" + ProcessHandle.current().pid();
            return Map.of("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?currentSchema=" + schema,
                    "quarkus.flyway.schemas", schema);
        }

        @Override
        public void stop() {
            try {
                proxy.close();
            } catch (java.io.IOException e) {
                // the proxy is going away with the test
            }
            // the schema goes with the run that made it
            IsolatedSchema.drop(schema);
        }
    }

    @Inject
    TestUsers users;

    @Test
    void shouldFailFastStayLiveKeepServingTokensAndRecover() throws Exception {
        TestUser user = users.create();
        String token = user.token();
        bearer(token).get("/apiops/test/hello/x").then().statusCode(200);

        proxy.cut();
        try {
            long start = System.nanoTime();
            Response answer = requestToken(user.username(), user.password());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isLessThan(Duration.ofSeconds(2));
            assertThat(answer.statusCode()).isEqualTo(500);
            assertThat(answer.asString()).isEqualTo(
                    "{\"error\":\"server_error\",\"error_description\":\"An unexpected error occurred\"}");

            bearer(token).get("/apiops/test/hello/x").then().statusCode(200);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> given().get(ManagementInterface.url("/health/ready")).statusCode() == 503);
            given().get(ManagementInterface.url("/health/live")).then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            proxy.restore();
        }
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> requestToken(user.username(), user.password()).statusCode() == 200);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> given().get(ManagementInterface.url("/health/ready")).statusCode() == 200);
        assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(5));
    }
}
