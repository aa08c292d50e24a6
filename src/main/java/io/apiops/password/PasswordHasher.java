package io.apiops.password;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext.ContextState;
import io.quarkus.arc.ManagedContext;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

import io.apiops.config.ApiopsConfig;

/**
 * Hashes passwords with libsodium's argon2id ({@code crypto_pwhash_str_alg}, {@code crypto_pwhash_str_verify}) and
 * stores them as PHC strings, {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}, so every hash
 * carries the parameters it was made with and can be verified after the configured parameters change.
 * <p>
 * The work memory of a hash is allocated by libsodium outside the Java heap and unmapped when the hash is done, so a
 * burst of logins costs CPU, not heap, and no password-derived block outlives its hash in this process. Stored
 * parameters are bounded ({@link #MAX_MEMORY_KIB}, {@link #MAX_ITERATIONS}, {@link #MAX_PARALLELISM}): a row that asks
 * for more is refused as a wrong password, so a tampered or corrupt hash cannot make one login cost seconds or
 * gigabytes.
 */
@Singleton
public class PasswordHasher {

    /**
     * 64 MiB, the second of RFC 9106's recommended settings and 3.4 times OWASP's 19 MiB. With one hash per processor
     * it keeps the hashing memory of a two-processor pod at 128 MiB, inside its memory limit.
     */
    public static final int MAX_MEMORY_KIB = 64 * 1024;
    /** Ten passes: at 64 MiB about 0.2 s on one core here, thirty times the default's cost. */
    public static final int MAX_ITERATIONS = 10;
    /** libsodium runs the lanes one after the other, so lanes do not change the cost; RFC 9106 recommends 4. */
    public static final int MAX_PARALLELISM = 8;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int WARM_UP_VERIFICATIONS = 2;
    private static final BooleanSupplier STILL_WANTED = () -> false;
    private static final int UNMETERED_QUEUE = 1000;
    private static final Duration UNMETERED_WAIT = Duration.ofMinutes(1);
    private static final Runnable NOTHING = () -> {
    };
    private static final Base64.Encoder B64_ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final Argon2Settings current;
    private final HashingGate gate;
    private final LoginTurns logins;
    private final Timer verifications;
    private final SecureRandom random = new SecureRandom();
    private final AtomicReference<String> dummyHash = new AtomicReference<>();

    @Inject
    public PasswordHasher(ApiopsConfig config, MeterRegistry registry) {
        this(config, hashingTurns(config), Counter.builder("apiops.password.rejected")
                .description("Logins refused with 503 because every hashing turn was taken")
                .register(registry)::increment,
                Counter.builder("apiops.password.abandoned")
                        .description("Logins not hashed because the client had gone when their turn came")
                        .register(registry)::increment,
                Timer.builder("apiops.password.verification")
                        .description("Time to verify one password hash")
                        .publishPercentileHistogram()
                        .register(registry));
    }

    private PasswordHasher(ApiopsConfig config, int turns, Runnable rejected, Runnable abandoned, Timer timer) {
        this(new Argon2Settings(config.password().argon2().memoryKib(), config.password().argon2().iterations(),
                config.password().argon2().parallelism()),
                new HashingGate(turns, config.password().maxQueue(), config.password().maxWait(), rejected, abandoned),
                new LoginTurns(turns, config.password().maxQueue(), config.password().maxWait(), rejected, abandoned),
                timer);
    }

    private static int hashingTurns(ApiopsConfig config) {
        return config.password().maxConcurrent().orElse(Runtime.getRuntime().availableProcessors());
    }

    /** A hasher without metrics and with a gate of its own, for tools and tests that need hashes of their own. */
    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        this(new Argon2Settings(memoryKib, iterations, parallelism), Runtime.getRuntime().availableProcessors());
    }

    private PasswordHasher(Argon2Settings current, int turns) {
        this(current, new HashingGate(turns, UNMETERED_QUEUE, UNMETERED_WAIT, NOTHING, NOTHING),
                new LoginTurns(turns, UNMETERED_QUEUE, UNMETERED_WAIT, NOTHING, NOTHING), null);
    }

    private PasswordHasher(Argon2Settings current, HashingGate gate, LoginTurns logins, Timer verifications) {
        if (!current.withinBounds() || current.parallelism != 1) {
            // libsodium makes single-lane hashes; hashes with more lanes still verify
            throw new IllegalArgumentException("argon2id parameters out of range: memory 8 to " + MAX_MEMORY_KIB
                    + " KiB, 1 to " + MAX_ITERATIONS + " passes, 1 lane");
        }
        Libsodium.load();
        this.verifications = verifications;
        this.gate = gate;
        this.logins = logins;
        this.current = current;
    }

    /**
     * Runs a whole login, its database work as well as its hash, in one of the login turns, as many as the hashing
     * turns, waiting in a bounded, ordered queue. Without it, every queued login would take a pooled connection before
     * queueing for its hash, and a flood of logins would exhaust the connection pool (500) where it should be told to
     * come back later (503). Twice as many turns, so that one login's reads and writes would overlap another's hash,
     * gave no more logins a second (the database's side of those reads and writes runs on the same processors) and
     * somewhat more CPU per login, in threads switching and waiting for a hashing turn (README, Performance).
     * <p>
     * The login runs on a thread of the turns, with the caller's CDI request context (the request's client address
     * for the audit trail, the request's persistence context), and the caller's thread is free at once: a queued
     * login holds no thread. The future fails with 503 when the queue is full, when the wait runs out, or when
     * {@code abandoned} is true as the turn comes (then the login does not run).
     */
    public <T> CompletableFuture<T> inLoginTurn(Supplier<T> login, BooleanSupplier abandoned) {
        ManagedContext requestContext = Arc.container().requestContext();
        ContextState callers = requestContext.isActive() ? requestContext.getState() : null;
        if (callers == null) {
            return logins.submit(login, abandoned);
        }
        return logins.submit(() -> {
            requestContext.activate(callers);
            try {
                return login.get();
            } finally {
                requestContext.deactivate();
            }
        }, abandoned);
    }

    /** Lets the logins under way and queued finish; the login turns take nothing new. */
    @PreDestroy
    void close() {
        logins.close();
    }

    /**
     * Once the service is up, makes the dummy hash and runs a verification on a low-priority thread, so that the
     * first login of an unknown user does not pay for the dummy hash on top of its verification.
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

    /** A new random salt (libsodium's, 16 bytes) and the configured parameters. */
    public String hash(String password) {
        return gate.run(() -> {
            byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[Libsodium.STRBYTES];
            try {
                int result = Libsodium.crypto_pwhash_str_alg(out, bytes, bytes.length, current.iterations,
                        current.memoryKib * 1024L, Libsodium.ALG_ARGON2ID13);
                if (result != 0) {
                    throw new IllegalStateException("libsodium could not hash a password (out of memory?)");
                }
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
            int length = 0;
            while (out[length] != 0) {
                length++;
            }
            return new String(out, 0, length, StandardCharsets.US_ASCII);
        }, STILL_WANTED);
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

    /**
     * A stored hash that is malformed or asks for more work than the bounds allow is refused without handing it to
     * libsodium; the dummy hash is verified instead, so such a login costs what any other does.
     */
    private boolean check(String password, String encoded, BooleanSupplier abandoned) {
        Phc phc = Phc.parse(encoded);
        if (phc == null || !phc.settings.withinBounds()) {
            Log.warn("A stored password hash is not an argon2id PHC string within the accepted parameters; the login "
                    + "is refused");
            verifyStored(password, dummyHash(), abandoned);
            return false;
        }
        return verifyStored(password, encoded, abandoned);
    }

    private boolean verifyStored(String password, String encoded, BooleanSupplier abandoned) {
        byte[] stored = new byte[encoded.length() + 1];
        for (int i = 0; i < encoded.length(); i++) {
            stored[i] = (byte) encoded.charAt(i); // ASCII: Phc.parse accepted it
        }
        return gate.run(() -> {
            byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
            try {
                return Libsodium.crypto_pwhash_str_verify(stored, bytes, bytes.length) == 0;
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }, abandoned);
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
        return phc == null || !phc.settings.equals(current) || phc.saltLength != SALT_BYTES
                || phc.hashLength != HASH_BYTES;
    }

    private record Argon2Settings(long memoryKib, long iterations, long parallelism) {

        boolean withinBounds() {
            return parallelism >= 1 && parallelism <= MAX_PARALLELISM && memoryKib >= 8 * parallelism
                    && memoryKib <= MAX_MEMORY_KIB && iterations >= 1 && iterations <= MAX_ITERATIONS;
        }
    }

    private record Phc(Argon2Settings settings, int saltLength, int hashLength) {

        /**
         * Exactly the syntax this service and the reference implementation write: decimal parameters without sign or
         * leading zero, unpadded standard base64 for a salt of 8 to 64 bytes and a hash of 16 to 64 bytes.
         */
        private static final Pattern SYNTAX = Pattern.compile("\\$argon2id\\$v=19\\$m=([1-9][0-9]{0,9}),"
                + "t=([1-9][0-9]{0,9}),p=([1-9][0-9]{0,9})\\$([A-Za-z0-9+/]{11,86})\\$([A-Za-z0-9+/]{22,86})");

        static Phc parse(String encoded) {
            if (encoded == null || encoded.length() > 256) {
                return null;
            }
            Matcher matcher = SYNTAX.matcher(encoded);
            if (!matcher.matches()) {
                return null;
            }
            try {
                int salt = B64_DECODER.decode(matcher.group(4)).length;
                int hash = B64_DECODER.decode(matcher.group(5)).length;
                if (salt < 8 || salt > 64 || hash < 16 || hash > 64) {
                    return null;
                }
                return new Phc(new Argon2Settings(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
                        Long.parseLong(matcher.group(3))), salt, hash);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
