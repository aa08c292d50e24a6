package io.apiops.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL primary and a streaming standby of its own, on free ports, in data directories under
 * {@code target/}: PostgreSQL's own {@code initdb}, {@code pg_basebackup -R} and {@code pg_ctl}, never the machine's
 * main cluster. PostgreSQL refuses to run as root, so as root the binaries run as the {@code postgres} user. Both
 * servers are stopped and their directories deleted on {@link #close()}, or when the test JVM exits.
 */
final class PostgresPair implements AutoCloseable {

    final int primaryPort;
    final int standbyPort;
    private final Path bin;
    private final Path root;
    private final Path primary;
    private final Path standby;
    private final Thread cleanup = new Thread(this::stopBoth);

    private PostgresPair(Path bin, Path root, int primaryPort, int standbyPort) {
        this.bin = bin;
        this.root = root;
        this.primary = root.resolve("primary");
        this.standby = root.resolve("standby");
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    /** Initialises and starts the primary, clones it into a streaming standby and starts that too. */
    static PostgresPair start(String database) throws Exception {
        Path root = Path.of("target", "postgres-pair-" + ProcessHandle.current().pid()).toAbsolutePath();
        PostgresPair pair = new PostgresPair(binaries(), root, PackagedService.freePort(), PackagedService.freePort());
        Runtime.getRuntime().addShutdownHook(pair.cleanup);
        try {
            pair.create(database);
        } catch (Exception | Error e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    private void create(String database) throws Exception {
        deleteTree(root);
        Files.createDirectories(root);
        if (asRoot()) {
            UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(root, users.lookupPrincipalByName("postgres"));
        }
        run("initdb", "-D", primary.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        startServer(primary, primaryPort);
        run("pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(primaryPort), "-U", "postgres", "-D",
                standby.toString(), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync");
        startServer(standby, standbyPort);
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + database);
        }
    }

    /** A JDBC URL naming both servers, for whichever of them is the primary. */
    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + ",127.0.0.1:" + standbyPort + "/" + database
                + "?targetServerType=primary";
    }

    /** The primary dies as a crashed machine's would: no checkpoint, no goodbye to its clients. */
    void killPrimary() throws Exception {
        run("pg_ctl", "stop", "-D", primary.toString(), "-m", "immediate", "-w");
    }

    void promoteStandby() throws Exception {
        run("pg_ctl", "promote", "-D", standby.toString(), "-w");
    }

    boolean standbyIsPrimary() throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + standbyPort + "/postgres", "postgres", "");
                Statement statement = connection.createStatement();
                var result = statement.executeQuery("select not pg_is_in_recovery()")) {
            return result.next() && result.getBoolean(1);
        }
    }

    @Override
    public void close() {
        stopBoth();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    private void stopBoth() {
        for (Path data : List.of(primary, standby)) {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    run("pg_ctl", "stop", "-D", data.toString(), "-m", "immediate", "-w");
                } catch (Exception e) {
                    // stopped already, or never started
                }
            }
        }
        try {
            deleteTree(root);
        } catch (IOException e) {
            // left in target/, which the next clean removes
        }
    }

    private void startServer(Path data, int port) throws Exception {
        // Sockets in our own directory, so nothing of the machine's main cluster is touched; fsync off: a test
        // cluster need not survive the machine.
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -k " + root
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB"
                + " -c max_connections=60 -c wal_keep_size=64MB";
        run("pg_ctl", "start", "-D", data.toString(), "-l", root.resolve(data.getFileName() + ".log").toString(),
                "-w", "-t", "60", "-o", options);
    }

    private void run(String tool, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        if (asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("apiops-pg", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(tool + " did not finish: " + Files.readString(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(tool + " failed: " + Files.readString(output));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** PostgreSQL's server binaries: {@code pg_config --bindir}, else the newest under the Debian layout. */
    private static Path binaries() throws Exception {
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String dir = new String(process.getInputStream().readAllBytes()).trim();
            if (process.waitFor() == 0 && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        } catch (IOException e) {
            // no pg_config on the path
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.map(version -> version.resolve("bin"))
                        .filter(candidate -> Files.isExecutable(candidate.resolve("initdb"))).max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                        .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries found"));
            }
        }
        throw new IllegalStateException("no PostgreSQL server binaries found (initdb, pg_ctl, pg_basebackup)");
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
