package io.apiops.http;

import static io.apiops.TestUsers.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import io.apiops.ManagementInterface;
import io.apiops.RawHttp;
import io.apiops.RawHttp.Answer;
import io.apiops.TestUsers;
import io.apiops.TestUsers.TestUser;

/** What the HTTP layer shows an outsider: which port serves what, the headers of every answer, the protocols. */
@QuarkusTest
class HttpHardeningTest {

    @TestHTTPResource
    URL base;

    private static String metrics() {
        return ManagementInterface.url("/metrics");
    }

    private static String ready() {
        return ManagementInterface.url("/health/ready");
    }

    @Inject
    TestUsers users;

    @Test
    void shouldServeNothingUnderQOnTheApiPortInAnySpelling() throws Exception {
        RawHttp http = new RawHttp(base);
        for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/health/live", "/q/metrics/",
                "/q;x/metrics", "/q/metrics;x", "//q/metrics", "/q//metrics", "/q/./metrics", "/x/../q/metrics",
                "/apiops/../q/metrics", "/%71/metrics", "/q/%6detrics", "/Q/metrics", "/q/openapi", "/q/swagger-ui",
                "/q/dev-ui", "/q/info", "/q/health/started", "/q/arc", "/q/")) {
            Answer answer = http.send(RawHttp.request("GET", path, List.of(), new byte[0]));
            assertThat(answer.status()).as(path).isIn(400, 404);
            assertThat(answer.isJsonError()).as(path + " -> " + answer.body()).isTrue();
            assertThat(answer.body()).as(path).doesNotContain("apiops_", "\"status\"");
        }
    }

    @Test
    void shouldServeProbesAndMetricsOnTheManagementPort() {
        assertThat(metrics()).doesNotContain(":" + base.getPort() + "/");
        given().get(ready()).then().statusCode(200).body("status", equalTo("UP"));
        assertThat(given().get(metrics()).then().statusCode(200).extract().asString())
                .contains("apiops_login_failures_total");
    }

    @Test
    void shouldSayNosniffOnEveryAnswer() throws Exception {
        TestUser user = users.create();
        String token = user.token();
        assertThat(given().get("/apiops/test/healthcheck").header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(bearer(token).get("/apiops/test/hello/x").header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(given().get("/apiops/test/hello/x").header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(given().get("/no/such/path").header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(TestUsers.requestToken(user.username(), user.password()).header("X-Content-Type-Options"))
                .isEqualTo("nosniff");
        assertThat(given().get("/apiops/openapi.json").header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(given().get(metrics()).header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(given().get(ready()).header("X-Content-Type-Options")).isEqualTo("nosniff");
        RawHttp http = new RawHttp(base);
        for (byte[] raw : List.of(RawHttp.request("POST", "/apiops/auth/token", List.of("Content-Length: 99999999"), new byte[0]),
                RawHttp.chunked("/apiops/users/", "application/json", "x".repeat(70_000), 8192))) {
            Answer answer = http.send(raw);
            assertThat(answer.header("X-Content-Type-Options")).as(answer.head()).isEqualTo("nosniff");
        }
    }

    /**
     * Clients that announce a large token request and then send its body a trickle at a time (a slow-body attack,
     * which needs no credentials) take no thread while they do: the token endpoint reads its whole body on the event
     * loop. When it ran on a worker thread, each such client held one, blocked in reading the rest.
     */
    @Test
    void shouldHoldNoThreadForATokenRequestWhoseBodyTrickles() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Socket socket = new Socket(base.getHost(), base.getPort());
                slow.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /apiops/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Length: 40000\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
                        + "grant_type=client_credentials&client_id=" + "x".repeat(12_000))
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            // Give the server time to take in what was sent and, if it would, to hand each request to a thread.
            Thread.sleep(1_000);

            assertThat(threadsReadingABody()).as("threads blocked reading a request body").isZero();
            TestUser user = users.create();
            TestUsers.requestToken(user.username(), user.password()).then().statusCode(200);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    private static long threadsReadingABody() {
        return Thread.getAllStackTraces().values().stream()
                .filter(frames -> Arrays.stream(frames)
                        .anyMatch(frame -> frame.getClassName().contains("VertxInputStream")))
                .count();
    }

    @Test
    void shouldLimitEveryBodyTo64KibWhetherAnnouncedOrChunked() throws Exception {
        String token = users.create(io.apiops.user.Roles.ADMIN).token();
        RawHttp http = new RawHttp(base);
        String big = "{\"username\":\"" + "x".repeat(70_000) + "\"}";
        for (String path : List.of("/apiops/users/", "/apiops/auth/tokens/", "/apiops/auth/token",
                "/apiops/auth/revoke", "/apiops/no-such-endpoint")) {
            for (int chunk : new int[] { 100, 8192, 65_536 }) {
                Answer answer = http.send(chunkedWithToken(path, big, chunk, token));
                assertThat(answer.status()).as(path + " in chunks of " + chunk).isEqualTo(413);
                assertThat(answer.isJsonError()).as(answer.body()).isTrue();
            }
            Answer announced = http.send(RawHttp.request("POST", path, List.of("Content-Type: application/json",
                    "Authorization: Bearer " + token), big.getBytes(StandardCharsets.UTF_8)));
            assertThat(announced.status()).as(path).isEqualTo(413);
            assertThat(announced.isJsonError()).isTrue();
        }
        // Exactly 64 KiB is still read (and then judged by the endpoint).
        String exact = "grant_type=client_credentials&client_id=a&client_secret=" + "b".repeat(65_536 - 56);
        assertThat(exact).hasSize(65_536);
        Answer exactAnswer = http.send(RawHttp.chunked("/apiops/auth/token", "application/x-www-form-urlencoded",
                exact, 4096));
        assertThat(exactAnswer.status()).as(exactAnswer.body()).isEqualTo(401);
    }

    private static byte[] chunkedWithToken(String path, String body, int chunkSize, String token) {
        String raw = new String(RawHttp.chunked(path, "application/json", body, chunkSize), StandardCharsets.UTF_8);
        return raw.replaceFirst("\r\n\r\n", "\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRefusePlainTextHttp2ByPriorKnowledge() throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // An empty SETTINGS frame, as an HTTP/2 client sends next.
            out.write(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
            out.flush();
            byte[] answer = readSome(socket.getInputStream());
            // An HTTP/2 server answers with its own SETTINGS frame (type 4 in the fourth byte); HTTP/1.1 with text.
            assertThat(answer.length >= 4 && answer[3] == 4 && answer[0] == 0).as("an HTTP/2 SETTINGS frame")
                    .isFalse();
            if (answer.length > 0) {
                // Read as HTTP/1.x, whose parser refuses the preface as a malformed request.
                assertThat(new String(answer, StandardCharsets.US_ASCII)).startsWith("HTTP/").contains(" 400 ")
                        .contains("\"error\":");
            }
        }
    }

    @Test
    void shouldRefusePlainTextHttp2ByUpgrade() throws Exception {
        Answer answer = new RawHttp(base).send(RawHttp.request("GET", "/apiops/test/healthcheck",
                List.of("Connection: Upgrade, HTTP2-Settings", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"),
                new byte[0]));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Upgrade")).isNull();
        assertThat(answer.body()).isEqualTo("OK");
    }

    @Test
    void shouldKeepTheDiscoveryDocumentFreeOfTheRequestsHost() {
        for (String host : List.of("evil.example", "evil.example:443", "localhost")) {
            JsonPath metadata = given().header("Host", host).header("X-Forwarded-Host", "evil.example")
                    .header("X-Forwarded-Proto", "https").header("Forwarded", "host=evil.example;proto=https")
                    .get("/.well-known/oauth-authorization-server").then().statusCode(200).extract().jsonPath();
            assertThat(metadata.prettify()).doesNotContain("evil");
            assertThat(metadata.getString("token_endpoint")).isEqualTo("/apiops/auth/token");
        }
    }

    @Test
    void shouldNotTellTheFrameworkOrItsVersion() {
        String page = given().accept("text/html").get("/apiops/openapi/ui/").then().statusCode(200).extract()
                .asString();
        String document = given().get("/apiops/openapi.yaml").then().statusCode(200).extract().asString();
        for (String text : List.of(page, document)) {
            assertThat(text).doesNotContainIgnoringCase("quarkus").doesNotContain(io.quarkus.builder.Version
                    .getVersion());
        }
        for (String path : List.of("/apiops/test/healthcheck", "/no/such/path", "/apiops/openapi/ui/")) {
            io.restassured.response.Response answer = given().get(path);
            assertThat(answer.header("Server")).isNull();
            assertThat(answer.header("X-Powered-By")).isNull();
        }
    }

    private static byte[] readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[256];
        try {
            int read = in.read(buffer);
            return read <= 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, read);
        } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
            return new byte[0];
        }
    }
}
