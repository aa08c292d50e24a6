package io.apiops.password;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.apiops.error.ApiException;

/**
 * Bounds the work and memory of password hashing. At most {@code concurrency} hashes run at once (each argon2id hash
 * holds its memory cost, 19 MiB by default, while it runs); at most {@code queue} callers wait for a turn, in arrival
 * order, and none longer than {@code maxWait}. Anyone beyond that is told at once to come back later (503 with
 * {@code Retry-After}) instead of piling up until the heap runs out. A caller whose client has hung up by the time its
 * turn comes does not hash: the turn goes to the next one.
 */
final class HashingGate {

    private final Semaphore running;
    private final int queue;
    private final long maxWaitNanos;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Runnable onRejected;
    private final Runnable onAbandoned;

    HashingGate(int concurrency, int queue, Duration maxWait, Runnable onRejected, Runnable onAbandoned) {
        this.running = new Semaphore(concurrency, true);
        this.queue = queue;
        this.maxWaitNanos = maxWait.toNanos();
        this.onRejected = onRejected;
        this.onAbandoned = onAbandoned;
    }

    /** Runs {@code hashing} in a turn, unless {@code abandoned} says, once the turn has come, that nobody waits. */
    <T> T run(Supplier<T> hashing, BooleanSupplier abandoned) {
        if (!running.tryAcquire()) {
            await();
        }
        try {
            if (abandoned.getAsBoolean()) {
                onAbandoned.run();
                throw ApiException.temporarilyUnavailable();
            }
            return hashing.get();
        } finally {
            running.release();
        }
    }

    private void await() {
        if (waiting.incrementAndGet() > queue) {
            waiting.decrementAndGet();
            throw rejected();
        }
        try {
            if (!running.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
                throw rejected();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw rejected();
        } finally {
            waiting.decrementAndGet();
        }
    }

    private ApiException rejected() {
        onRejected.run();
        return ApiException.temporarilyUnavailable();
    }
}
