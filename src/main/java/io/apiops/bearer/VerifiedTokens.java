package io.apiops.bearer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
import io.quarkus.smallrye.jwt.runtime.auth.MpJwtValidator;
import io.smallrye.mutiny.Uni;

import io.apiops.keys.SigningKeys;

/**
 * Remembers bearer tokens that passed verification, so that a client sending the same token again skips the RSA
 * signature check and the JSON parsing: the bearer check on every Management API call then costs a map look-up.
 * <p>
 * The key is the exact token text, so any change to a token is a miss and gets the full check. A hit is honoured only
 * until the token's {@code exp}. Revocation is not cached: {@link RevocationCheck} runs on every request, hit or miss.
 * The map holds at most {@value #MAX_ENTRIES} tokens; expired ones are dropped every minute.
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

    static final int MAX_ENTRIES = 10_000;

    private record Verified(SecurityIdentity identity, long expiresAt) {
    }

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final MpJwtValidator validator;
    private final SigningKeys keys;
    private final Clock clock;

    public VerifiedTokens(MpJwtValidator validator, SigningKeys keys, Clock clock) {
        this.validator = validator;
        this.keys = keys;
        this.clock = clock;
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

    /** The identity of a token verified before and not yet expired, or null. */
    SecurityIdentity lookup(String token) {
        Verified hit = verified.get(token);
        if (hit == null) {
            return null;
        }
        if (clock.instant().getEpochSecond() < hit.expiresAt()) {
            return hit.identity();
        }
        verified.remove(token);
        return null;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        SecurityIdentity hit = lookup(token);
        if (hit != null) {
            return Uni.createFrom().item(hit);
        }
        return validator.authenticate(request, context).map(identity -> {
            requirePublishedKey(identity);
            remember(token, identity);
            return identity;
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

    private void remember(String token, SecurityIdentity identity) {
        if (identity != null && identity.getPrincipal() instanceof JsonWebToken jwt) {
            if (verified.size() >= MAX_ENTRIES) {
                dropExpired();
                if (verified.size() >= MAX_ENTRIES) {
                    verified.clear();
                }
            }
            verified.put(token, new Verified(identity, jwt.getExpirationTime()));
        }
    }

    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dropExpired() {
        long now = clock.instant().getEpochSecond();
        verified.values().removeIf(entry -> entry.expiresAt() <= now);
    }
}
