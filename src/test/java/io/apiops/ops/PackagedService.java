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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One instance of the packaged service ({@code target/quarkus-app}), started with {@code java -jar} as production runs
 * it, with the API and the management interface on free ports, plus the few calls the integration tests make on it.
 * Every instance still running when the test JVM exits is killed, so a failed test leaves no process behind.
 */
final class PackagedService implements AutoCloseable {

    static final String ADMIN = "it-admin";
    static final String ADMIN_PASSWORD = "It-Admin-Password-7-Quartz";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    final String api;
    final String management;
    final Path log;
    private final Process process;

    private PackagedService(String api, String management, Path log, Process process) {
        this.api = api;
        this.management = management;
        this.log = log;
        this.process = process;
    }

    /** Signing keys in PEM files, one pair for all instances of a test as all replicas of a deployment share one. */
    record Keys(Path privateKey, Path publicKey) {

        static Keys generate() throws Exception {
            Path directory = Files.createTempDirectory("apiops-it-keys");
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Keys keys = new Keys(directory.resolve("private.pem"), directory.resolve("public.pem"));
            Files.writeString(keys.privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(keys.publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return keys;
        }

        private static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }
    }

    /** A fresh database on the local server, named {@code prefix} and this JVM's pid so parallel runs never meet. */
    static String createDatabase(String prefix) throws SQLException {
        String name = prefix + "_" + ProcessHandle.current().pid();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                "postgres", ""); Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
            statement.execute("create database " + name);
        }
        return name;
    }

    static void dropDatabase(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                "postgres", ""); Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
        }
    }

    /**
     * Starts an instance against {@code jdbcUrl} with the bootstrap administrator {@link #ADMIN}; {@code settings}
     * are further environment variables. Returns once it is ready.
     */
    static PackagedService start(String name, String jdbcUrl, Keys keys, Map<String, String> settings)
            throws Exception {
        int port = freePort();
        int managementPort = freePort();
        Path log = Path.of("target", name + "-" + port + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", "file:" + keys.privateKey());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "file:" + keys.publicKey());
        env.put("APIOPS_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        env.put("APIOPS_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.putAll(settings);
        Process process = builder.start();
        RUNNING.add(process);
        PackagedService service = new PackagedService("http://127.0.0.1:" + port,
                "http://127.0.0.1:" + managementPort, log, process);
        service.awaitReady(Duration.ofSeconds(90));
        return service;
    }

    static Map<String, String> settings(String... keysAndValues) {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return settings;
    }

    private void awaitReady(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(api + " exited at start-up; see " + log);
            }
            if (readiness() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(api + " was not ready within " + within + "; see " + log);
    }

    /** The status of {@code /q/health/ready} on the management port, 0 if nothing answers there. */
    int readiness() throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(management + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    /** SIGTERM, as Kubernetes stops a pod. */
    void terminate() {
        process.destroy();
    }

    boolean awaitExit(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        RUNNING.remove(process);
    }

    HttpRequest tokenRequest(String username, String password) {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(api + "/apiops/auth/token")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    String token(String username, String password) throws Exception {
        HttpResponse<String> response = HTTP.send(tokenRequest(username, password),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return accessToken(response.body());
    }

    static String accessToken(String body) {
        Matcher matcher = ACCESS_TOKEN.matcher(body);
        assertThat(matcher.find()).as(body).isTrue();
        return matcher.group(1);
    }

    /** The {@code jti} of a token, read without verifying it. */
    static String jti(String token) {
        String claims = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8);
        Matcher matcher = java.util.regex.Pattern.compile("\"jti\":\"([^\"]+)\"").matcher(claims);
        assertThat(matcher.find()).as(claims).isTrue();
        return matcher.group(1);
    }

    void createUser(String adminToken, String username, String password) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/apiops/users/"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    HttpRequest helloRequest(String token) {
        return HttpRequest.newBuilder(URI.create(api + "/apiops/test/hello/it")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
    }

    int hello(String token) throws Exception {
        return HTTP.send(helloRequest(token), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** RFC 7009 revocation of {@code token} by the administrator. */
    HttpResponse<String> revoke(String adminToken, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + "/apiops/auth/revoke"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String bearer) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String bearer, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String bearer, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
