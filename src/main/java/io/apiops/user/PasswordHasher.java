package io.apiops.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import io.apiops.config.ApiopsConfig;

/**
 * Hashes passwords with argon2id and stores them as PHC strings,
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}, so every hash carries the parameters it was made
 * with and can be verified after the configured parameters change.
 * <p>
 * Hashes at the configured parameters reuse their work memory: at most one array per hashing turn of the
 * {@link HashingGate} ever exists, so a burst of logins costs CPU, not heap, and the arrays are dropped after a minute
 * without logins. Hashes at other parameters (rows made before a change of cost) get an array of their own.
 */
@Singleton
public class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int WARM_UP_VERIFICATIONS = 30;
    private static final Duration IDLE_MEMORY_RELEASE = Duration.ofMinutes(1);
    private static final BooleanSupplier STILL_WANTED = () -> false;
    private static final Base64.Encoder B64_ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final Argon2Settings current;
    private final Argon2id argon2;
    private final ConcurrentLinkedDeque<long[]> spareMemory = new ConcurrentLinkedDeque<>();
    private volatile long lastHashNanos = System.nanoTime();
    private final HashingGate gate;
    private final Timer verifications;
    private final SecureRandom random = new SecureRandom();
    private final AtomicReference<String> dummyHash = new AtomicReference<>();

    @Inject
    public PasswordHasher(ApiopsConfig config, MeterRegistry registry) {
        this(new Argon2Settings(config.password().argon2().memoryKib(), config.password().argon2().iterations(),
                config.password().argon2().parallelism()),
                new HashingGate(config.password().maxConcurrent().orElse(Runtime.getRuntime().availableProcessors()),
                        config.password().maxQueue(), config.password().maxWait(),
                        Counter.builder("apiops.password.rejected")
                                .description("Logins refused with 503 because every hashing turn was taken")
                                .register(registry)::increment,
                        Counter.builder("apiops.password.abandoned")
                                .description("Logins not hashed because the client had gone when their turn came")
                                .register(registry)::increment),
                Timer.builder("apiops.password.verification")
                        .description("Time to verify one password hash")
                        .publishPercentileHistogram()
                        .register(registry));
    }

    PasswordHasher(int memoryKib, int iterations, int parallelism) {
        this(new Argon2Settings(memoryKib, iterations, parallelism),
                new HashingGate(Runtime.getRuntime().availableProcessors(), 1000, Duration.ofMinutes(1), () -> {
                }, () -> {
                }), null);
    }

    private PasswordHasher(Argon2Settings current, HashingGate gate, Timer verifications) {
        this.verifications = verifications;
        this.gate = gate;
        this.current = current;
        this.argon2 = current.argon2();
    }

    /**
     * Once the service is up, makes the dummy hash and runs a few verifications on a low-priority thread, so that the
     * first logins neither pay for the dummy hash nor run argon2id in the interpreter at many times its compiled
     * cost.
     */
    void warmUp(@Observes StartupEvent event) {
        Thread warmUp = new Thread(() -> {
            for (int i = 0; i < WARM_UP_VERIFICATIONS; i++) {
                verifyDummy("warm-up", STILL_WANTED);
            }
            Log.debug("Password hashing warmed up");
        }, "apiops-hash-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    private String dummyHash() {
        String hash = dummyHash.get();
        if (hash == null) {
            byte[] unguessable = new byte[32];
            random.nextBytes(unguessable);
            dummyHash.compareAndSet(null, hash(B64_ENCODER.encodeToString(unguessable)));
            hash = dummyHash.get();
        }
        return hash;
    }

    /** A new random salt and the configured parameters. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] derived = gate.run(() -> derive(password, salt, current, HASH_BYTES), STILL_WANTED);
        return "$argon2id$v=19$m=" + current.memoryKib + ",t=" + current.iterations + ",p=" + current.parallelism
                + "$" + B64_ENCODER.encodeToString(salt) + "$" + B64_ENCODER.encodeToString(derived);
    }

    /** Checks a password against a stored hash in constant time; a malformed hash never matches. */
    public boolean verify(String password, String encoded) {
        return verify(password, encoded, STILL_WANTED);
    }

    /**
     * {@link #verify(String, String)} for a caller that may give up while waiting for a hashing turn: when
     * {@code abandoned} is true as the turn comes, nothing is hashed and the login ends with 503.
     */
    public boolean verify(String password, String encoded, BooleanSupplier abandoned) {
        if (verifications == null) {
            return check(password, encoded, abandoned);
        }
        long start = System.nanoTime();
        boolean matches = check(password, encoded, abandoned);
        // only verifications that ran: a turn refused or abandoned throws before this
        verifications.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return matches;
    }

    private boolean check(String password, String encoded, BooleanSupplier abandoned) {
        Phc phc = Phc.parse(encoded);
        if (phc == null) {
            Log.warn("A stored password hash is not a valid argon2id PHC string; the login is refused");
            return false;
        }
        byte[] derived = gate.run(() -> derive(password, phc.salt, phc.settings, phc.hash.length), abandoned);
        return MessageDigest.isEqual(derived, phc.hash);
    }

    /**
     * Spends the same work as {@link #verify} against a fixed hash of an unguessable password, for logins whose
     * username does not exist: an unknown user must cost as much time as a wrong password.
     */
    public void verifyDummy(String password, BooleanSupplier abandoned) {
        verify(password, dummyHash(), abandoned);
    }

    /** True when a hash was made with other parameters than the configured ones, so a good login should redo it. */
    public boolean needsRehash(String encoded) {
        Phc phc = Phc.parse(encoded);
        return phc == null || !phc.settings.equals(current) || phc.hash.length != HASH_BYTES;
    }

    private byte[] derive(String password, byte[] salt, Argon2Settings settings, int length) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        if (!settings.equals(current)) {
            Argon2id other = settings.argon2();
            return other.hash(bytes, salt, length, other.newMemory());
        }
        lastHashNanos = System.nanoTime();
        long[] memory = spareMemory.poll();
        if (memory == null) {
            memory = argon2.newMemory();
        }
        try {
            return argon2.hash(bytes, salt, length, memory);
        } finally {
            spareMemory.push(memory);
        }
    }

    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void releaseIdleMemory() {
        releaseMemoryIdleFor(IDLE_MEMORY_RELEASE);
    }

    /** Drops the spare work memory when no hash started for {@code idle}; returns how many arrays were dropped. */
    int releaseMemoryIdleFor(Duration idle) {
        int released = 0;
        while (System.nanoTime() - lastHashNanos >= idle.toNanos() && spareMemory.poll() != null) {
            released++;
        }
        return released;
    }

    private record Argon2Settings(int memoryKib, int iterations, int parallelism) {

        Argon2id argon2() {
            return new Argon2id(memoryKib, iterations, parallelism);
        }
    }

    private record Phc(Argon2Settings settings, byte[] salt, byte[] hash) {

        /** Limits that keep a tampered row from asking for absurd work. */
        private static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
        private static final int MAX_ITERATIONS = 1000;

        static Phc parse(String encoded) {
            if (encoded == null) {
                return null;
            }
            // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
            String[] parts = encoded.split("\\$", -1);
            if (parts.length != 6 || !parts[0].isEmpty() || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
                return null;
            }
            try {
                int memory = -1;
                int iterations = -1;
                int parallelism = -1;
                for (String parameter : parts[3].split(",", -1)) {
                    String[] pair = parameter.split("=", 2);
                    if (pair.length != 2) {
                        return null;
                    }
                    int value = Integer.parseInt(pair[1]);
                    switch (pair[0]) {
                        case "m" -> memory = value;
                        case "t" -> iterations = value;
                        case "p" -> parallelism = value;
                        default -> {
                            return null;
                        }
                    }
                }
                if (parallelism < 1 || parallelism > 255 || memory < 8 * parallelism || memory > MAX_MEMORY_KIB
                        || iterations < 1 || iterations > MAX_ITERATIONS) {
                    return null;
                }
                byte[] salt = B64_DECODER.decode(parts[4]);
                byte[] hash = B64_DECODER.decode(parts[5]);
                if (salt.length < 8 || hash.length < 16) {
                    return null;
                }
                return new Phc(new Argon2Settings(memory, iterations, parallelism), salt, hash);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
