package io.apiops.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import io.apiops.config.ApiopsConfig;

/** The ranges of the numeric settings, on the real configuration mapping with the service's defaults. */
class ConfigBoundsTest {

    private static ApiopsConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withMapping(ApiopsConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build()
                .getConfigMapping(ApiopsConfig.class);
    }

    @Test
    void shouldAcceptTheDefaultsAndTheBoundsThemselves() {
        assertThat(ConfigBounds.problems(config(Map.of()))).isEmpty();
        assertThat(ConfigBounds.problems(config(Map.of(
                "apiops.password.min-length", "1024",
                "apiops.password.max-concurrent", "1",
                "apiops.password.max-queue", "0",
                "apiops.password.argon2.memory-kib", "65536",
                "apiops.password.argon2.iterations", "10",
                "apiops.token.max-per-user", "1",
                "apiops.rate-limit.failures-per-minute", "1",
                "apiops.lockout.max-failures", "1")))).isEmpty();
    }

    @Test
    void shouldNameEverySettingOutOfRangeAtOnce() {
        assertThat(ConfigBounds.problems(config(Map.of(
                "apiops.password.min-length", "7",
                "apiops.password.max-concurrent", "0",
                "apiops.password.max-queue", "-1",
                "apiops.password.argon2.memory-kib", "65537",
                "apiops.password.argon2.iterations", "0",
                "apiops.password.argon2.parallelism", "2",
                "apiops.token.max-per-user", "0",
                "apiops.rate-limit.failures-per-minute", "0",
                "apiops.lockout.max-failures", "0")))).containsExactly(
                        "apiops.password.min-length must be between 8 and 1024 (is 7)",
                        "apiops.password.max-concurrent must be at least 1 (is 0)",
                        "apiops.password.max-queue must be at least 0 (is -1)",
                        "apiops.password.argon2.memory-kib must be between 8 and 65536 (is 65537)",
                        "apiops.password.argon2.iterations must be between 1 and 10 (is 0)",
                        "apiops.password.argon2.parallelism must be between 1 and 1 (is 2)",
                        "apiops.token.max-per-user must be at least 1 (is 0)",
                        "apiops.rate-limit.failures-per-minute must be at least 1 (is 0)",
                        "apiops.lockout.max-failures must be at least 1 (is 0)");
    }
}
