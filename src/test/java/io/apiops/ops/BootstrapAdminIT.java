package io.apiops.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The packaged service, started in production mode with a weak bootstrap administrator or with settings out of range,
 * refuses to start and creates nobody.
 */
class BootstrapAdminIT {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres";

    @Test
    void shouldRefuseToStartWithAWeakBootstrapPassword() throws Exception {
        String weak = "Password123!";
        String output = refusedStart(Map.of("APIOPS_BOOTSTRAP_ADMIN_PASSWORD", weak));
        assertThat(output).contains("apiops.bootstrap.admin.password breaks the password policy")
                .doesNotContain(weak);
    }

    @Test
    void shouldRefuseToStartWithSettingsOutOfRangeNamingEach() throws Exception {
        String output = refusedStart(Map.of(
                "APIOPS_BOOTSTRAP_ADMIN_PASSWORD", "a long and unlisted passphrase",
                "APIOPS_PASSWORD_ARGON2_ITERATIONS", "0",
                "APIOPS_PASSWORD_ARGON2_MEMORY_KIB", "4194304",
                "APIOPS_LOCKOUT_MAX_FAILURES", "-1"));
        assertThat(output).contains("apiops.password.argon2.iterations must be between 1 and 10 (is 0)")
                .contains("apiops.password.argon2.memory-kib must be between 8 and 65536 (is 4194304)")
                .contains("apiops.lockout.max-failures must be at least 1 (is -1)");
    }

    /**
     * Starts the packaged jar in production mode on a database of its own with {@code env} on top of a valid
     * setup, requires it to stop by itself with a failure and to have created no user; returns its output.
     */
    private static String refusedStart(Map<String, String> env) throws Exception {
        String database = "apiops_bootstrap_it_" + UUID.randomUUID().toString().substring(0, 8);
        Path log = Path.of("target", database + ".log");
        execute("create database " + database);
        Process process = null;
        try {
            Path keys = Files.createTempDirectory("apiops-bootstrap");
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(keys.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(keys.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-jar", "target/quarkus-app/quarkus-run.jar")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> environment = builder.environment();
            environment.put("QUARKUS_HTTP_PORT", "0");
            environment.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
            environment.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            environment.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", "file:" + keys.resolve("private.pem"));
            environment.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "file:" + keys.resolve("public.pem"));
            environment.put("APIOPS_BOOTSTRAP_ADMIN_USERNAME", "root-admin");
            environment.putAll(env);
            process = builder.start();

            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the service should stop by itself").isTrue();
            assertThat(process.exitValue()).isNotZero();
            try (Connection connection = DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
                    Statement statement = connection.createStatement()) {
                var rows = statement.executeQuery("select count(*) from app_user");
                rows.next();
                assertThat(rows.getLong(1)).isZero();
            }
            return Files.readString(log);
        } finally {
            if (process != null) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            execute("drop database if exists " + database + " with (force)");
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
