package io.apiops.bearer;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

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
    private final RevocationCheck revocation;

    public CachedBearerMechanism(JWTAuthMechanism jwt, VerifiedTokens verified, RevocationCheck revocation) {
        this.jwt = jwt;
        this.verified = verified;
        this.revocation = revocation;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviders) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            SecurityIdentity identity = verified.lookup(header.substring(BEARER.length()).trim());
            if (identity != null) {
                // The augmentors are skipped on this path, so the revocation check is applied here.
                return revocation.admit(identity);
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
