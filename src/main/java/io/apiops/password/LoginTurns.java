package io.apiops.password;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.apiops.error.ApiException;

/**
 * Runs whole logins on a few threads of its own: at most {@code turns} at once, at most {@code queue} more waiting in
 * arrival order, none of them waiting longer than {@code maxWait}; anyone beyond that is told at once to come back
 * later (503 with {@code Retry-After}). A login whose client has hung up by the time its turn comes does not run.
 * <p>
 * A waiting login is an entry in a queue, not a thread: the caller gets a future and its thread is free at once, so a
 * flood of logins costs neither a parked request thread per queued login nor the memory of its stack. The threads
 * that run the turns end after a minute without work and are started again on demand.
 */
final class LoginTurns implements AutoCloseable {

    private static final Duration IDLE = Duration.ofMinutes(1);

    private final ThreadPoolExecutor runners;
    private final long maxWaitNanos;
    private final Runnable onRejected;
    private final Runnable onAbandoned;

    LoginTurns(int turns, int queue, Duration maxWait, Runnable onRejected, Runnable onAbandoned) {
        AtomicInteger threads = new AtomicInteger();
        this.runners = new ThreadPoolExecutor(turns, turns, IDLE.toSeconds(), TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), work -> {
                    Thread thread = new Thread(work, "apiops-login-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.runners.allowCoreThreadTimeOut(true);
        this.maxWaitNanos = maxWait.toNanos();
        this.onRejected = onRejected;
        this.onAbandoned = onAbandoned;
    }

    /**
     * Queues {@code login} for a turn. The future completes with its result, or with the exception it threw; with 503
     * when the wait ran out or when {@code abandoned} said, as the turn came, that nobody waits any more. Throws 503
     * at once when the queue is full.
     */
    <T> CompletableFuture<T> submit(Supplier<T> login, BooleanSupplier abandoned) {
        CompletableFuture<T> result = new CompletableFuture<>();
        // Completed by whichever comes first: the turn (normally) or the end of the wait (with a TimeoutException).
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        try {
            runners.execute(() -> {
                if (!waiting.complete(null)) {
                    return; // the wait ran out, and the caller has had its answer
                }
                if (abandoned.getAsBoolean()) {
                    onAbandoned.run();
                    result.completeExceptionally(ApiException.temporarilyUnavailable());
                    return;
                }
                try {
                    result.complete(login.get());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw rejected();
        }
        waiting.orTimeout(maxWaitNanos, TimeUnit.NANOSECONDS).whenComplete((turn, failure) -> {
            if (failure instanceof TimeoutException) {
                result.completeExceptionally(rejected());
            }
        });
        return result;
    }

    private ApiException rejected() {
        onRejected.run();
        return ApiException.temporarilyUnavailable();
    }

    /** Runs what is queued and running to its end, takes nothing new. */
    @Override
    public void close() {
        runners.shutdown();
    }
}
