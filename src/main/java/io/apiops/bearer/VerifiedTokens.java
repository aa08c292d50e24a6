package io.apiops.bearer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.smallrye.jwt.runtime.auth.MpJwtValidator;
import io.smallrye.mutiny.Uni;

import io.apiops.config.ApiopsConfig;
import io.apiops.keys.SigningKeys;

/**
 * Remembers bearer tokens that passed verification, so that a client sending the same token again skips the RSA
 * signature check and the JSON parsing: the bearer check on every Management API call then costs a digest and a map
 * look-up.
 * <p>
 * The key is the SHA-256 digest of the exact token text, so any change to a token is a miss and gets the full check,
 * and the map holds no token text of its own. A hit is honoured only until the token's {@code exp}. Revocation is not
 * cached: {@link BearerAdmission} runs on every request, hit or miss. Each entry holds the token's
 * {@link TokenFacts}. The map is bounded by memory
 * ({@code apiops.bearer.cache-memory}, each entry counted at {@link #ENTRY_BYTES} plus twice its token's length);
 * expired entries are dropped every minute.
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

    /**
     * What one entry is counted to cost beside its token text: the identity, its parsed claims and the map's own
     * structures. An estimate, on the generous side; it bounds the cache, it is not a measurement.
     */
    static final long ENTRY_BYTES = 4096;

    private record Verified(SecurityIdentity identity, long expiresAt, long bytes) {
    }

    private final Map<TokenDigest, Verified> verified = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final MpJwtValidator validator;
    private final SigningKeys keys;
    private final RevokedTokens revoked;
    private final Clock clock;
    private final long budget;

    public VerifiedTokens(MpJwtValidator validator, SigningKeys keys, RevokedTokens revoked, Clock clock,
            ApiopsConfig config) {
        this.validator = validator;
        this.revoked = revoked;
        this.keys = keys;
        this.clock = clock;
        this.budget = config.bearer().cacheMemory().asLongValue();
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Ahead of SmallRye JWT's own validator, which it calls on a miss. */
    @Override
    public int priority() {
        return validator.priority() + 1;
    }

    /** The identity of {@code token}, verified before as exactly this text and not yet expired, or null. */
    SecurityIdentity lookup(String token) {
        return lookup(TokenDigest.of(token));
    }

    private SecurityIdentity lookup(TokenDigest token) {
        Verified hit = verified.get(token);
        if (hit == null) {
            return null;
        }
        if (clock.instant().getEpochSecond() < hit.expiresAt()) {
            return hit.identity();
        }
        forget(token);
        return null;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        TokenDigest digest = TokenDigest.of(token);
        SecurityIdentity hit = lookup(digest);
        if (hit != null) {
            return Uni.createFrom().item(hit);
        }
        return validator.authenticate(request, context).map(identity -> {
            requirePublishedKey(identity);
            SecurityIdentity withFacts = withFacts(identity);
            remember(digest, token.length(), withFacts);
            return withFacts;
        });
    }
    /**
     * A token must name one of the published keys in its {@code kid}. With a single PEM verification key the
     * signature check alone does not look at {@code kid}, so a token claiming an unknown key is refused here.
     */
    private void requirePublishedKey(SecurityIdentity identity) {
        if (identity != null && identity.getPrincipal() instanceof JsonWebToken jwt) {
            String raw = jwt.getRawToken();
            String kid = null;
            try {
                String header = new String(Base64.getUrlDecoder().decode(raw.substring(0, raw.indexOf('.'))),
                        StandardCharsets.UTF_8);
                Object value = JsonUtil.parseJson(header).get("kid");
                kid = value instanceof String text ? text : null;
            } catch (JoseException | RuntimeException e) {
                // no readable kid: refused below
            }
            if (!keys.isPublished(kid)) {
                throw new AuthenticationFailedException();
            }
        }
    }

    /** Reads the token's facts once, for every later use; a token whose claims are not ours is refused. */
    private static SecurityIdentity withFacts(SecurityIdentity identity) {
        if (identity == null || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return identity;
        }
        TokenFacts facts = TokenFacts.of(jwt);
        if (facts == null) {
            throw new AuthenticationFailedException();
        }
        return QuarkusSecurityIdentity.builder(identity).addAttribute(TokenFacts.ATTRIBUTE, facts).build();
    }

    private void remember(TokenDigest digest, int tokenLength, SecurityIdentity identity) {
        if (identity != null && identity.getPrincipal() instanceof JsonWebToken jwt) {
            long cost = ENTRY_BYTES + 2L * tokenLength;
            if (bytes.get() + cost > budget) {
                dropExpired();
                if (bytes.get() + cost > budget) {
                    // Full of live tokens: start again rather than keep a structure for choosing whom to evict.
                    verified.keySet().forEach(this::forget);
                }
            }
            Verified previous = verified.put(digest, new Verified(identity, jwt.getExpirationTime(), cost));
            bytes.addAndGet(previous == null ? cost : cost - previous.bytes());
        }
    }

    private void forget(TokenDigest digest) {
        Verified removed = verified.remove(digest);
        if (removed != null) {
            bytes.addAndGet(-removed.bytes());
        }
    }

    /** Forgets tokens that have expired or been revoked: memory holds live tokens only. */
    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dropExpired() {
        long now = clock.instant().getEpochSecond();
        verified.forEach((digest, entry) -> {
            TokenFacts facts = TokenFacts.of(entry.identity());
            if (entry.expiresAt() <= now || facts != null && revoked.isRevoked(facts.jti())) {
                forget(digest);
            }
        });
    }

    int size() {
        return verified.size();
    }

    long bytes() {
        return bytes.get();
    }
}
