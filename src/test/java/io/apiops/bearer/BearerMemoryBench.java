package io.apiops.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;

import io.apiops.keys.SigningKeys;

/**
 * Measures what one live token costs the bearer check's memory: 100 000 tokens shaped like the service's own (half of
 * them scoped and address-limited) are verified, so that each has its entry in {@link VerifiedTokens} with its
 * identity and {@link TokenFacts}, and a noted use; the heap after a full collection, against before, divided by the
 * count. Not part of the test run: {@code bench/bearer-memory.sh} runs it.
 */
@QuarkusTest
@TestProfile(BearerMemoryBench.RoomForAll.class)
@EnabledIfSystemProperty(named = "bench.bearer-memory", matches = "true")
class BearerMemoryBench {

    static final int TOKENS = Integer.getInteger("bench.tokens", 100_000);

    public static class RoomForAll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("apiops.bearer.cache-memory", "4G");
        }
    }

    @Inject
    SigningKeys keys;

    @Inject
    IdentityProviderManager identities;

    @Inject
    VerifiedTokens verified;

    @Inject
    UsageNotes usage;

    @Test
    void measureBytesPerLiveToken() throws Exception {
        long exp = Instant.now().plusSeconds(3600).getEpochSecond();
        List<String> tokens = IntStream.range(0, TOKENS).parallel().mapToObj(i -> {
            var claims = Jwt.issuer("apiops").audience("apiops").subject("user-" + (i % 1000))
                    .upn("user-" + (i % 1000)).groups(java.util.Set.of("ROLE_API_SECURITY", "ROLE_MANAGE_PROXIES"))
                    .issuedAt(exp - 3600).expiresAt(exp).claim("jti", UUID.randomUUID().toString());
            if (i % 2 == 0) {
                claims.claim(TokenFacts.SCOPE, "ROLE_API_SECURITY")
                        .claim(TokenFacts.ALLOWED_ADDRESSES, List.of("10.0.0.0/8", "192.0.2.7"));
            }
            return claims.jws().algorithm(keys.algorithm()).keyId(keys.keyId()).sign(keys.signingKey());
        }).toList();
        verified.dropExpired();
        int before = verified.size();
        long baseline = usedHeap();

        tokens.parallelStream().forEach(token -> {
            var identity = identities.authenticateBlocking(
                    new TokenAuthenticationRequest(new JsonWebTokenCredential(token)));
            usage.note(TokenFacts.of(identity).jti(), "10.1.2.3", "deploy-bot/2.1");
        });
        long filled = usedHeap();
        assertThat(verified.size() - before).isEqualTo(TOKENS);

        long perToken = (filled - baseline) / TOKENS;
        int length = tokens.get(0).length();
        String report = String.format("bearer state: %d live tokens, %d bytes per token (token text %d to %d "
                + "characters), %d MiB in all%n", TOKENS, perToken, length, tokens.get(1).length(),
                (filled - baseline) >> 20);
        System.out.print(report);
        Files.createDirectories(Path.of("target", "bench"));
        Files.writeString(Path.of("target", "bench", "bearer-memory.txt"), report);
        // The tokens stay reachable until here, so that only what the bearer state holds is counted.
        assertThat(tokens).hasSize(TOKENS);
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
