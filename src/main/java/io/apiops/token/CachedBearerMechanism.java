package io.apiops.token;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JWTAuthMechanism;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The bearer check's fast path: a token that {@link VerifiedTokens} has seen verified, and that is not revoked,
 * authenticates the request here and then, without the identity provider pipeline. Anything else, a new token, a
 * malformed header, no header, goes to SmallRye JWT's own mechanism unchanged, whose result {@link VerifiedTokens}
 * remembers.
 */
@ApplicationScoped
public class CachedBearerMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    private final JWTAuthMechanism jwt;
    private final VerifiedTokens verified;
    private final RevokedTokens revoked;
    private final TokenUsage usage;

    public CachedBearerMechanism(JWTAuthMechanism jwt, VerifiedTokens verified, RevokedTokens revoked,
            TokenUsage usage) {
        this.jwt = jwt;
        this.verified = verified;
        this.revoked = revoked;
        this.usage = usage;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviders) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            SecurityIdentity identity = verified.lookup(header.substring(BEARER.length()).trim());
            if (identity != null && identity.getPrincipal() instanceof JsonWebToken token) {
                // The same rule as RevocationCheck, which this path does not pass through.
                if (revoked.isRevoked(token.getTokenID())) {
                    return Uni.createFrom().failure(new AuthenticationFailedException());
                }
                usage.used(token.getTokenID());
                return Uni.createFrom().item(identity);
            }
        }
        return jwt.authenticate(context, identityProviders);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return jwt.getChallenge(context);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return jwt.getCredentialTypes();
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return jwt.getCredentialTransport(context);
    }

    @Override
    public int getPriority() {
        return jwt.getPriority() + 1;
    }
}
