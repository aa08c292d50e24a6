package io.apiops.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the packaged service on one database, as two replicas run in production. Lockout counts, revocation
 * and disabling must hold across both.
 */
class ReplicasIT {

    private static final String DATABASE = "apiops_replicas_it";
    private static final String ADMIN_PASSWORD = "Replica-Admin-Password-1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final List<Process> processes = new ArrayList<>();
    private static String first;
    private static String second;
    private static String adminToken;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                "postgres", ""); Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + DATABASE + " with (force)");
            statement.execute("create database " + DATABASE);
        }
        Path keys = Files.createTempDirectory("apiops-replicas");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(keys.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(keys.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));

        first = start(keys, freePort());
        // One after the other, so that the second finds the schema migrated and the administrator created.
        awaitUp(first);
        second = start(keys, freePort());
        awaitUp(second);
        adminToken = token(first, "replica-admin", ADMIN_PASSWORD);
    }

    @AfterAll
    static void stopReplicas() {
        processes.forEach(Process::destroy);
    }

    @Test
    void shouldCountFailuresExactlyAcrossReplicas() throws Exception {
        createUser(first, "split-brain", "Right-Password-Split-Brain");
        List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attempts.add(HTTP.sendAsync(tokenRequest(i % 2 == 0 ? first : second, "split-brain", "wrong-" + i),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> attempt : attempts) {
            assertThat(attempt.get().statusCode()).isEqualTo(401);
        }
        String user = get(second, "/apiops/users/split-brain").body();
        assertThat(user).contains("\"failedAttempts\":20").contains("\"locked\":true");
        assertThat(HTTP.send(tokenRequest(first, "split-brain", "Right-Password-Split-Brain"),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseOnOneReplicaATokenRevokedThroughTheOther() throws Exception {
        createUser(first, "revoked-elsewhere", "Revoked-Elsewhere-Password");
        String token = token(second, "revoked-elsewhere", "Revoked-Elsewhere-Password");
        assertThat(hello(first, token)).isEqualTo(200);
        assertThat(hello(second, token)).isEqualTo(200);

        HttpResponse<String> revoked = HTTP.send(HttpRequest.newBuilder(URI.create(first + "/apiops/auth/revoke"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).isEqualTo(200);

        long start = System.nanoTime();
        while (hello(second, token) != 401) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            Thread.sleep(20);
        }
        assertThat(hello(first, token)).isEqualTo(401);
    }

    @Test
    void shouldRefuseOnBothReplicasAUserDisabledThroughOne() throws Exception {
        createUser(first, "disabled-on-one", "Disabled-On-One-Password");
        String onFirst = token(first, "disabled-on-one", "Disabled-On-One-Password");
        String onSecond = token(second, "disabled-on-one", "Disabled-On-One-Password");

        HttpResponse<String> disabled = HTTP.send(HttpRequest.newBuilder(
                URI.create(second + "/apiops/users/disabled-on-one/"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(disabled.statusCode()).isEqualTo(200);

        long start = System.nanoTime();
        while (hello(first, onFirst) != 401 || hello(first, onSecond) != 401) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            Thread.sleep(20);
        }
        assertThat(hello(second, onFirst)).isEqualTo(401);
        assertThat(hello(second, onSecond)).isEqualTo(401);
        assertThat(HTTP.send(tokenRequest(first, "disabled-on-one", "Disabled-On-One-Password"),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    private static String start(Path keys, int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "replica-" + port + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE);
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", "file:" + keys.resolve("private.pem"));
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "file:" + keys.resolve("public.pem"));
        env.put("APIOPS_BOOTSTRAP_ADMIN_USERNAME", "replica-admin");
        env.put("APIOPS_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("APIOPS_LOCKOUT_MAX_FAILURES", "5");
        env.put("APIOPS_LOCKOUT_DURATION", "PT10M");
        env.put("APIOPS_RATE_LIMIT_ENABLED", "false");
        processes.add(builder.start());
        return "http://127.0.0.1:" + port;
    }

    private static void awaitUp(String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get(base, "/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(base + " did not start; see target/replica-*.log");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static HttpRequest tokenRequest(String base, String username, String password) {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(base + "/apiops/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private static String token(String base, String username, String password) throws Exception {
        HttpResponse<String> response = HTTP.send(tokenRequest(base, username, password),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher matcher = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private static void createUser(String base, String username, String password) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/apiops/users/"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static HttpResponse<String> get(String base, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (adminToken != null) {
            request.header("Authorization", "Bearer " + adminToken);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int hello(String base, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/apiops/test/hello/replica"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
