package io.apiops.bearer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import javax.sql.DataSource;

/**
 * Keeps {@link RevokedTokens} and {@link OwnerRoles} current across replicas. A daemon thread holds one connection
 * that LISTENs on their channels; every replica's revocations and role changes arrive within milliseconds of their
 * commit. Whenever that connection
 * is (re)established, and every {@code apiops.revocation.resync-interval} besides, the denylist and the owners' roles are reloaded, so
 * a notification missed while the connection was down is caught up.
 */
@Singleton
public class RevocationListener {

    private static final long POLL_MILLIS = 250;
    private static final long PING_MILLIS = 5_000;
    /**
     * Short, so that after a failover the listener is back on the new primary about as soon as token requests are:
     * a revocation made then reaches this replica within a second, through the reload on reconnecting.
     */
    private static final long RETRY_MILLIS = 200;

    private final DataSource dataSource;
    private final RevocationRepository denylist;
    private final RevokedTokens revoked;
    private final OwnerRoles ownerRoles;
    private volatile boolean running;
    private volatile Thread thread;

    public RevocationListener(DataSource dataSource, RevocationRepository denylist, RevokedTokens revoked,
            OwnerRoles ownerRoles) {
        this.dataSource = dataSource;
        this.ownerRoles = ownerRoles;
        this.denylist = denylist;
        this.revoked = revoked;
    }

    void onStart(@Observes StartupEvent event) {
        reload();
        running = true;
        thread = new Thread(this::listen, "apiops-revocation-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops listening and waits (a poll, at most a second) for the listener to hand its connection back, so that the
     * pool is not closed under it.
     */
    void onStop(@Observes ShutdownEvent event) {
        running = false;
        Thread listener = thread;
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(POLL_MILLIS + RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The safety net: reloads the denylist whatever the notifications said. */
    @Scheduled(every = "${apiops.revocation.resync-interval}", delayed = "${apiops.revocation.resync-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resync() {
        try {
            reload();
        } catch (RuntimeException e) {
            Log.warnf("Could not reload the revocation list (%s); the bearer check keeps the entries it has",
                    e.getClass().getSimpleName());
        }
    }

    void reload() {
        Instant horizon = revoked.verifiableAfter();
        revoked.merge(QuarkusTransaction.requiringNew().call(() -> denylist.listDenied(horizon)));
        ownerRoles.reload();
    }

    private void listen() {
        boolean lost = false;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + RevocationRepository.CHANNEL);
                    statement.execute("LISTEN " + OwnerRoles.CHANNEL);
                }
                // Listening first, then reloading: whatever was revoked while disconnected is in one or the other.
                reload();
                if (lost) {
                    Log.info("Revocation listener reconnected; the revocation list is current again");
                    lost = false;
                }
                receive(connection);
            } catch (SQLException | RuntimeException e) {
                if (running && !lost) {
                    Log.warnf("Revocation listener lost its database connection (%s); retrying, "
                            + "meanwhile the bearer check uses the revocations it has", e.getClass().getSimpleName());
                    lost = true;
                }
                if (running) {
                    pause();
                }
            }
        }
    }

    private void receive(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long lastPing = System.nanoTime();
        while (running) {
            PGNotification[] notifications = postgres.getNotifications((int) POLL_MILLIS);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    accept(notification);
                }
            }
            if (System.nanoTime() - lastPing > TimeUnit.MILLISECONDS.toNanos(PING_MILLIS)) {
                // A cut connection does not always fail a wait for notifications; a query finds out.
                try (Statement statement = connection.createStatement()) {
                    statement.execute("select 1");
                }
                lastPing = System.nanoTime();
            }
        }
    }

    private void accept(PGNotification notification) {
        String payload = notification.getParameter();
        try {
            if (OwnerRoles.CHANNEL.equals(notification.getName())) {
                ownerRoles.accept(payload);
                return;
            }
            String[] parts = payload.split(" ");
            UUID chain = parts.length > 2 ? UUID.fromString(parts[2]) : null;
            revoked.add(parts[0], new RevokedTokens.Denied(Instant.ofEpochSecond(Long.parseLong(parts[1])), chain));
        } catch (RuntimeException e) {
            Log.warnf("Ignoring a malformed notification on %s", notification.getName());
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
