package io.apiops;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test profile whose service runs on a schema of its own, for tests about the whole user table (the last
 * administrator, the bootstrap administrator) that other tests' users would disturb. The schema has a unique name and
 * is dropped when the service stops, also after a failure.
 */
public class IsolatedSchema implements QuarkusTestProfile {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres";

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Schema.class));
    }

    public static class Schema implements QuarkusTestResourceLifecycleManager {

        private String name;

        @Override
        public Map<String, String> start() {
            name = "apiops_isolated_" + ProcessHandle.current().pid() + "_"
                    + UUID.randomUUID().toString().substring(0, 8);
            // A service starting on a machine busy with other builds may wait longer than 1 s for its first connection.
            return Map.of("quarkus.datasource.jdbc.url", SERVER + "?currentSchema=" + name,
                    "quarkus.flyway.schemas", name, "quarkus.datasource.jdbc.acquisition-timeout", "PT10S");
        }

        @Override
        public void stop() {
            drop(name);
        }
    }

    /** Drops a test's own schema on the local server, with everything in it. */
    public static void drop(String name) {
        try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + name + " cascade");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the test schema " + name, e);
        }
    }
}
