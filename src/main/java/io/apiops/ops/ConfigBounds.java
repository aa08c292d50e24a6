package io.apiops.ops;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

import io.apiops.config.ApiopsConfig;
import io.apiops.password.PasswordHasher;
import io.apiops.password.PasswordPolicy;

/**
 * The ranges of the service's numeric settings, checked before any other start-up work uses them; a value out of range
 * stops the start with every such setting named at once.
 * <p>
 * A plain check rather than Bean Validation constraints on {@link ApiopsConfig}: with constraints, Quarkus boots a
 * second Hibernate Validator for the configuration alone, about half a second of every start on two CPUs.
 */
@ApplicationScoped
class ConfigBounds {

    void check(@Observes @Priority(Integer.MIN_VALUE) StartupEvent event, ApiopsConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("; ", problems));
        }
    }

    static List<String> problems(ApiopsConfig config) {
        List<String> problems = new ArrayList<>();
        ApiopsConfig.Password password = config.password();
        within(problems, "apiops.password.min-length", password.minLength(), 8, PasswordPolicy.MAX_LENGTH);
        password.maxConcurrent().ifPresent(turns -> within(problems, "apiops.password.max-concurrent", turns, 1,
                Integer.MAX_VALUE));
        within(problems, "apiops.password.max-queue", password.maxQueue(), 0, Integer.MAX_VALUE);
        // New hashes stay within what a stored hash may ask for.
        within(problems, "apiops.password.argon2.memory-kib", password.argon2().memoryKib(), 8,
                PasswordHasher.MAX_MEMORY_KIB);
        within(problems, "apiops.password.argon2.iterations", password.argon2().iterations(), 1,
                PasswordHasher.MAX_ITERATIONS);
        // libsodium makes single-lane hashes.
        within(problems, "apiops.password.argon2.parallelism", password.argon2().parallelism(), 1, 1);
        within(problems, "apiops.token.max-per-user", config.token().maxPerUser(), 1, Integer.MAX_VALUE);
        within(problems, "apiops.token.max-created-per-hour", config.token().maxCreatedPerHour(), 1,
                Integer.MAX_VALUE);
        within(problems, "apiops.rate-limit.failures-per-minute", config.rateLimit().failuresPerMinute(), 1,
                Integer.MAX_VALUE);
        within(problems, "apiops.lockout.max-failures", config.lockout().maxFailures(), 1, Integer.MAX_VALUE);
        return problems;
    }

    private static void within(List<String> problems, String name, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(max == Integer.MAX_VALUE
                    ? name + " must be at least " + min + " (is " + value + ")"
                    : name + " must be between " + min + " and " + max + " (is " + value + ")");
        }
    }
}
