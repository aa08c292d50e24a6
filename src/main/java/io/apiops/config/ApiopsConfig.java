package io.apiops.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting of the service that is ours rather than a framework's; {@code ops.ConfigBounds} checks their ranges.
 */
@ConfigMapping(prefix = "apiops")
public interface ApiopsConfig {

    /**
     * The service's public base URL ({@code https://auth.example.com}), for the absolute URLs of the discovery
     * document; unset, they are relative. Never taken from a request.
     */
    Optional<URI> publicUrl();

    /**
     * The role catalogue: every role a user can hold and a token can be scoped to. {@code ROLE_ADMIN} must be among
     * them; each name is upper case letters, digits and underscores, starting with a letter, at most 64 characters.
     */
    @WithDefault("ROLE_ADMIN,ROLE_MANAGE_PROXIES,ROLE_MANAGE_PROXY_GROUPS,ROLE_DEPLOY_UNDEPLOY_PROXIES,ROLE_API_SECURITY")
    List<String> roles();

    Token token();

    Introspection introspection();

    interface Introspection {

        /** A role that may introspect tokens besides {@code ROLE_ADMIN}, such as a gateway's. */
        Optional<String> role();
    }

    Bearer bearer();

    interface Bearer {

        /** The memory the verified-token cache of the bearer check may take; past it the cache starts afresh. */
        @WithDefault("64M")
        MemorySize cacheMemory();
    }

    Lockout lockout();

    Password password();

    Bootstrap bootstrap();

    interface Token {

        /** How long an access token from the token endpoint stays valid; also its {@code expires_in}. */
        @WithDefault("PT1H")
        Duration lifespan();

        /** The {@code iss} claim of every token, and the issuer that verification insists on. */
        @WithDefault("apiops")
        String issuer();

        /** How long the records of expired tokens stay listed before they are deleted. */
        @WithDefault("P30D")
        Duration retention();

        /** The {@code aud} claim of every token, and the audience that verification insists on. */
        @WithDefault("apiops")
        String audience();

        /** At most one write of a token's {@code lastUsedAt} per this interval; uses in between are coalesced. */
        @WithDefault("PT1M")
        Duration lastUsedPrecision();

        /** How long before a named token expires its owner is mailed that it expires soon (when SMTP is set up). */
        @WithDefault("P7D")
        Duration expiryNotice();

        /**
         * The longest a named token may live from its creation; unset, a token may never expire. A request for a
         * token without an expiry, or one further away, is refused.
         */
        Optional<Duration> maxLifetime();

        /** Unexpired, unrevoked named tokens one user may hold; the token endpoint's are not counted. */
        @WithDefault("100")
        int maxPerUser();

        /**
         * Named tokens one user may be given in any hour, created or rotated, revoked ones included. Each revoked
         * token stays on every replica's denylist until it expires, so this bounds how fast one user can grow it.
         */
        @WithDefault("60")
        int maxCreatedPerHour();

        /** How often each replica looks for expiry notices to mail. */
        @WithDefault("PT1H")
        Duration expiryCheckInterval();
    }

    Revocation revocation();

    Audit audit();

    Jvm jvm();

    RateLimit rateLimit();

    interface RateLimit {

        /** Whether failed logins are limited per client address. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Failed logins one client address may make per minute before its logins are refused with 429, whatever the
         * account: the defence against spraying one password across many accounts, which no per-account lockout
         * sees. One limit across every replica: the counts are kept in the database.
         */
        @WithDefault("60")
        int failuresPerMinute();
    }

    interface Jvm {

        /**
         * Lets the heap shrink back when the service is idle (G1's periodic collection and tighter free-heap ratios),
         * unless those JVM options were set explicitly. Password hashing allocates its memory cost per login, which
         * otherwise leaves the heap at its high-water mark for good.
         */
        @WithDefault("true")
        boolean returnIdleMemory();
    }

    interface Audit {

        /** How long audit events are kept. */
        @WithDefault("P90D")
        Duration retention();
    }

    interface Revocation {

        /**
         * How often each replica reloads the denylist from the database, the safety net behind LISTEN/NOTIFY for a
         * notification missed while its connection was down.
         */
        @WithDefault("PT30S")
        Duration resyncInterval();
    }

    interface Lockout {

        /** Consecutive failed logins that lock an account. */
        @WithDefault("5")
        int maxFailures();

        /** How long a lockout lasts; zero locks until an administrator unlocks the account. */
        @WithDefault("PT15M")
        Duration duration();
    }

    interface Password {

        /** The fewest characters (Unicode code points) a new password may have; at most 1024 are allowed. */
        @WithDefault("12")
        int minLength();

        Argon2 argon2();

        /** Password hashes running at once; by default one per processor, the most the hardware can run. */
        Optional<Integer> maxConcurrent();

        /** Requests that may wait for a hashing turn; more are answered 503 at once. */
        @WithDefault("128")
        int maxQueue();

        /** The longest a request waits for a hashing turn before it is answered 503. */
        @WithDefault("PT3S")
        Duration maxWait();

        interface Argon2 {

            /** Memory cost of one argon2id hash, in KiB; at most 64 MiB, the most a stored hash may ask for. */
            @WithDefault("19456")
            int memoryKib();

            /** Passes over that memory; at most 10, the most a stored hash may ask for. */
            @WithDefault("2")
            int iterations();

            /** Lanes: libsodium makes single-lane hashes (stored hashes with up to 8 lanes still verify). */
            @WithDefault("1")
            int parallelism();
        }
    }

    interface Bootstrap {

        Admin admin();

        interface Admin {

            /** Name of the administrator created at start-up when the user table is empty. */
            Optional<String> username();

            /** That administrator's initial password; never logged. */
            Optional<String> password();
        }
    }
}
