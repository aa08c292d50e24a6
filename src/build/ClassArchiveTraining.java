import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training run of the packaged service's class-data archive, run by the build right after packaging.
 *
 * <p>Quarkus's own archive holds the classes of the framework's static initialisation only: Hibernate's start, Flyway,
 * the HTTP server and every class a request needs are still read, verified and linked from the jars at each start.
 * This program starts the packaged service as production does ({@code java @jvm.options -jar quarkus-run.jar}, without
 * the archive option) with {@code -XX:ArchiveClassesAtExit}, against a schema of its own on a reachable PostgreSQL,
 * sends it the requests of an ordinary day (logins right and wrong, bearer calls, user and personal-token
 * administration, probes), stops it with SIGTERM and puts the archive the JVM writes at exit in place of Quarkus's.
 *
 * <p>Without a database the service cannot start: the program says so and leaves Quarkus's archive, and the build goes
 * on. Nothing here is a secret: the keys and the password are made for this run and thrown away.
 *
 * <p>Usage: {@code java ClassArchiveTraining.java APP_DIR JDBC_URL USERNAME}
 */
public final class ClassArchiveTraining {

    private static final String SCHEMA = "apiops_cds_training";
    private static final Duration START_LIMIT = Duration.ofSeconds(180);
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(120);
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final String api;
    private final String management;

    private ClassArchiveTraining(int apiPort, int managementPort) {
        this.api = "http://127.0.0.1:" + apiPort;
        this.management = "http://127.0.0.1:" + managementPort;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java ClassArchiveTraining.java APP_DIR JDBC_URL USERNAME");
            System.exit(2);
        }
        Path app = Path.of(args[0]).toAbsolutePath();
        Path archive = app.resolve("app-cds.jsa");
        Path trained = app.resolve("app-cds.jsa.training");
        Path log = app.getParent().resolve("cds-training.log");
        Path scratch = Files.createTempDirectory("apiops-cds-training");
        boolean trainedRun = false;
        try {
            Files.deleteIfExists(trained);
            int apiPort = freePort();
            int managementPort = freePort();
            String adminPassword = randomHex(16);
            Process service = start(app, scratch, trained, log, args[1], args[2], apiPort, managementPort,
                    adminPassword);
            ClassArchiveTraining training = new ClassArchiveTraining(apiPort, managementPort);
            try {
                if (training.awaitStart(service)) {
                    training.run(adminPassword);
                    trainedRun = true;
                }
            } catch (IOException e) {
                // A request that failed: the archive of a half-trained run is not kept (below).
                System.out.println("WARNING: the training run's requests failed: " + e);
            } finally {
                service.destroy();
                if (!service.waitFor(EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
            if (!trainedRun) {
                skip("the service did not start (see " + log + "); is PostgreSQL reachable at " + args[1] + "?");
            } else if (!Files.isRegularFile(trained) || Files.size(trained) == 0) {
                skip("the JVM wrote no archive at exit (see " + log + ")");
            } else {
                Files.move(trained, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                System.out.printf("class-data archive trained: %d MiB, after responses %s%n",
                        Files.size(archive) >> 20, training.statuses);
                if (training.statuses.keySet().stream().anyMatch(status -> status >= 500)) {
                    System.out.println("WARNING: the training run got server errors; see " + log);
                }
            }
        } finally {
            if (trainedRun) {
                dropSchema(app, args[1], args[2]);
            }
            Files.deleteIfExists(trained);
            try (var files = Files.list(scratch)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(scratch);
        }
    }

    /** Leaves the database as it was: the schema, its throwaway administrator and its tokens go. */
    private static void dropSchema(Path app, String jdbcUrl, String username) {
        try (var jars = Files.list(app.resolve("lib").resolve("main"))) {
            Path driverJar = jars.filter(jar -> jar.getFileName().toString().startsWith("org.postgresql.postgresql-"))
                    .findFirst().orElseThrow(() -> new IOException("no PostgreSQL driver in the application"));
            try (URLClassLoader loader = new URLClassLoader(new URL[] { driverJar.toUri().toURL() })) {
                Driver driver = (Driver) Class.forName("org.postgresql.Driver", true, loader)
                        .getDeclaredConstructor().newInstance();
                Properties credentials = new Properties();
                credentials.setProperty("user", username);
                try (Connection connection = driver.connect(jdbcUrl, credentials);
                        Statement statement = connection.createStatement()) {
                    statement.execute("drop schema if exists " + SCHEMA + " cascade");
                }
            }
        } catch (Exception e) {
            System.out.println("note: the training schema " + SCHEMA + " was not dropped: " + e);
        }
    }

    private static void skip(String why) {
        System.out.println("WARNING: class-data archive not trained: " + why
                + "; app-cds.jsa stays as the Quarkus build wrote it, with the static initialisation's classes only");
    }

    private static Process start(Path app, Path scratch, Path trained, Path log, String jdbcUrl, String username,
            int apiPort, int managementPort, String adminPassword) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path privateKey = writePem(scratch.resolve("private.pem"), "PRIVATE KEY", keys.getPrivate().getEncoded());
        Path publicKey = writePem(scratch.resolve("public.pem"), "PUBLIC KEY", keys.getPublic().getEncoded());

        // The production options, but for the archive they would read: the JVM writes a new one instead.
        Path options = scratch.resolve("jvm.options");
        Files.write(options, Files.readAllLines(app.resolve("jvm.options")).stream()
                .filter(line -> !line.strip().startsWith("-XX:SharedArchiveFile="))
                .toList());

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + options);
        command.add("-XX:ArchiveClassesAtExit=" + trained.getFileName());
        command.add("-jar");
        command.add("quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(app.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(apiPort));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?")
                + "currentSchema=" + SCHEMA);
        env.put("QUARKUS_DATASOURCE_USERNAME", username);
        env.put("QUARKUS_FLYWAY_SCHEMAS", SCHEMA);
        // Every training starts from an empty schema, whatever the last one left.
        env.put("QUARKUS_FLYWAY_CLEAN_AT_START", "true");
        env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
        env.put("QUARKUS_SHUTDOWN_DELAY_ENABLED", "false");
        env.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", privateKey.toUri().toString());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toUri().toString());
        env.put("APIOPS_BOOTSTRAP_ADMIN_USERNAME", "training-admin");
        env.put("APIOPS_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        return builder.start();
    }

    private static Path writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private boolean awaitStart(Process service) throws InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                return false;
            }
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api + "/apiops/test/healthcheck"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** An ordinary day's requests, each kind a few times so that the start-up's paths and the requests' are archived. */
    private void run(String adminPassword) throws Exception {
        for (String probe : List.of("/q/health/live", "/q/health/ready", "/q/health/started", "/q/metrics")) {
            get(management + probe, null);
        }
        String admin = token("training-admin", adminPassword);
        for (int i = 0; i < 2; i++) {
            token("training-admin", adminPassword);
            post("/apiops/auth/token", null, form("client_credentials", "training-admin", "not-the-password"));
            post("/apiops/auth/token", null, form("client_credentials", "nobody", "not-a-password"));
            post("/apiops/auth/token", null, form("password", "training-admin", adminPassword));
            post("/apiops/auth/token", null, "grant_type=client_credentials");
            send(HttpRequest.newBuilder(URI.create(api + "/apiops/auth/token"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        }
        String userPassword = "training-" + randomHex(12);
        post("/apiops/users/", admin, json("{\"username\":\"training-user\",\"password\":\"" + userPassword + "\"}"));
        String user = token("training-user", userPassword);
        for (int i = 0; i < 3; i++) {
            get(api + "/apiops/test/hello/training", user);
            get(api + "/apiops/test/hello/training", null);
            get(api + "/apiops/test/hello/training", user + "x");
            get(api + "/apiops/auth/me", user);
            get(api + "/apiops/auth/jwks", null);
            get(api + "/.well-known/oauth-authorization-server", null);
            get(api + "/apiops/users/", admin);
            get(api + "/apiops/users/training-user", admin);
            get(api + "/apiops/users/nobody", admin);
            get(api + "/apiops/auth/tokens/", user);
            get(api + "/apiops/tokens/", admin);
            get(api + "/apiops/audit/", admin);
        }
        String created = post("/apiops/auth/tokens/", user, json("{\"name\":\"training\",\"currentPassword\":\""
                + userPassword + "\"}"));
        String personal = match(ACCESS_TOKEN, created);
        String id = match(ID, created);
        if (personal != null && id != null) {
            get(api + "/apiops/test/hello/training", personal);
            post("/apiops/auth/introspect", admin, "token=" + personal);
            String rotated = post("/apiops/auth/tokens/" + id + "/rotate", user,
                    json("{\"currentPassword\":\"" + userPassword + "\"}"));
            post("/apiops/auth/introspect", admin, "token=" + personal);
            String next = match(ACCESS_TOKEN, rotated);
            if (next != null) {
                get(api + "/apiops/test/hello/training", next);
                post("/apiops/auth/revoke", user, "token=" + next);
            }
        }
        post("/apiops/auth/revoke", user, "token=" + user);
        get(api + "/apiops/test/hello/training", user);
        for (String page : List.of("/apiops/console/", "/apiops/openapi", "/apiops/nowhere")) {
            get(api + page, null);
        }
        get(management + "/q/metrics", null);
    }

    private String token(String username, String password) throws Exception {
        return match(ACCESS_TOKEN, post("/apiops/auth/token", null, form("client_credentials", username, password)));
    }

    private static String form(String grant, String username, String password) {
        return "grant_type=" + grant + "&client_id=" + username + "&client_secret=" + password;
    }

    private static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    private String post(String path, String bearer, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        return send(bearer == null ? request : request.header("Authorization", "Bearer " + bearer));
    }

    private String post(String path, String bearer, HttpRequest.BodyPublisher json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(api + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .POST(json));
    }

    private void get(String url, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        send(bearer == null ? request : request.header("Authorization", "Bearer " + bearer));
    }

    private String send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> answer = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        statuses.merge(answer.statusCode(), 1, Integer::sum);
        return answer.body();
    }

    private static String match(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body == null ? "" : body);
        return matcher.find() ? matcher.group(1) : null;
    }
}
