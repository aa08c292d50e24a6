package io.apiops.token;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.Claims;

import io.smallrye.jwt.build.Jwt;

import io.apiops.config.ApiopsConfig;
import io.apiops.keys.SigningKeys;
import io.apiops.user.User;

/**
 * Makes tokens in two steps: {@link #record} writes the personal token row inside the caller's transaction, and
 * {@link #sign} turns the result into a JWT once that transaction has done its work. Nothing is signed that was not
 * recorded first.
 */
@ApplicationScoped
public class TokenIssuer {

    private final PersonalTokenRepository tokens;
    private final SigningKeys keys;
    private final Clock clock;
    private final String issuer;
    private final String audience;

    public TokenIssuer(PersonalTokenRepository tokens, SigningKeys keys, Clock clock, ApiopsConfig config) {
        this.tokens = tokens;
        this.keys = keys;
        this.clock = clock;
        this.issuer = config.token().issuer();
        this.audience = config.token().audience();
    }

    /** What a token is made of, fixed before it is signed. */
    record Grant(UUID jti, String username, Set<String> roles, Instant issuedAt, Instant expiresAt) {
    }

    /** Records a token for {@code user}; {@code expiresAt} null means it never expires. */
    Grant record(User user, String name, Instant expiresAt) {
        Instant now = clock.instant();
        PersonalToken token = PersonalToken.issue(user, name, now, expiresAt);
        tokens.persist(token);
        return new Grant(token.jti(), user.username(), user.roles(), now, token.tokenExpiry());
    }

    String sign(Grant grant) {
        return Jwt.issuer(issuer)
                .audience(audience)
                .subject(grant.username())
                .upn(grant.username())
                .groups(grant.roles())
                .issuedAt(grant.issuedAt().getEpochSecond())
                .expiresAt(grant.expiresAt().getEpochSecond())
                .claim(Claims.jti, grant.jti().toString())
                .jws()
                .algorithm(keys.algorithm())
                .keyId(keys.keyId())
                .sign(keys.signingKey());
    }

    Instant now() {
        return clock.instant();
    }
}
