package io.apiops.token;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.Claims;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import io.apiops.bearer.TokenFacts;
import io.apiops.config.ApiopsConfig;
import io.apiops.keys.SigningKeys;
import io.apiops.user.Roles;
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
    private final Roles roles;

    public TokenIssuer(PersonalTokenRepository tokens, SigningKeys keys, Roles roles, Clock clock,
            ApiopsConfig config) {
        this.tokens = tokens;
        this.roles = roles;
        this.keys = keys;
        this.clock = clock;
        this.issuer = config.token().issuer();
        this.audience = config.token().audience();
    }

    /**
     * What a token is made of, fixed before it is signed.
     *
     * @param roles the roles it carries now: its scope intersected with the owner's, or all of the owner's
     * @param scope the roles it was scoped to, or null
     * @param allowedAddresses the client addresses it may be used from, or null for any
     */
    record Grant(UUID jti, String username, List<String> roles, List<String> scope, List<String> allowedAddresses,
            Instant issuedAt, Instant expiresAt) {
    }

    /** Records a token for {@code user}, unscoped and usable from anywhere; {@code expiresAt} null: never expires. */
    Grant record(User user, String name, Instant expiresAt) {
        return record(user, PersonalToken.issue(user, name, clock.instant(), expiresAt, null, null));
    }

    /** Records {@code token}, made for {@code user} a moment ago. */
    Grant record(User user, PersonalToken token) {
        tokens.persist(token);
        List<String> owned = roles.known(user.roles());
        List<String> carried = token.roleNames() == null ? owned
                : owned.stream().filter(token.roleNames()::contains).toList();
        return new Grant(token.jti(), user.username(), carried, token.roleNames(), token.allowedAddresses(),
                token.createdAt(), token.tokenExpiry());
    }

    String sign(Grant grant) {
        JwtClaimsBuilder claims = Jwt.issuer(issuer)
                .audience(audience)
                .subject(grant.username())
                .upn(grant.username())
                .groups(Set.copyOf(grant.roles()))
                .issuedAt(grant.issuedAt().getEpochSecond())
                .expiresAt(grant.expiresAt().getEpochSecond())
                .claim(Claims.jti, grant.jti().toString());
        if (grant.scope() != null) {
            claims.claim(TokenFacts.SCOPE, String.join(" ", grant.scope()));
        }
        if (grant.allowedAddresses() != null) {
            claims.claim(TokenFacts.ALLOWED_ADDRESSES, grant.allowedAddresses());
        }
        return claims.jws()
                .algorithm(keys.algorithm())
                .keyId(keys.keyId())
                .sign(keys.signingKey());
    }

    Instant now() {
        return clock.instant();
    }
}
