package io.apiops.bearer;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

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
 * The bearer check. The {@code Authorization} header must be exactly one {@code Bearer} compact JWS
 * ({@link CompactJws}), or the request is refused before any decoding. A token that {@link VerifiedTokens} has seen
 * verified (it passed that check then, as exactly the same text) authenticates here, without a second scan and
 * without the identity provider pipeline; a new one goes to SmallRye JWT's own mechanism, whose result
 * {@link VerifiedTokens} remembers. Either way {@link BearerAdmission} has the last word.
 */
@ApplicationScoped
public class CachedBearerMechanism implements HttpAuthenticationMechanism {

    private final JWTAuthMechanism jwt;
    private final VerifiedTokens verified;
    private final BearerAdmission admission;

    public CachedBearerMechanism(JWTAuthMechanism jwt, VerifiedTokens verified, BearerAdmission admission) {
        this.jwt = jwt;
        this.verified = verified;
        this.admission = admission;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviders) {
        List<String> headers = context.request().headers().getAll(HttpHeaders.AUTHORIZATION);
        if (headers.isEmpty()) {
            // No credentials: an endpoint that needs them answers 401 through the challenge.
            return jwt.authenticate(context, identityProviders);
        }
        String token = CompactJws.soleCandidate(headers);
        if (token == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        // A remembered token passed the syntax check when it was first verified, as exactly this text.
        SecurityIdentity identity = verified.lookup(token);
        if (identity != null) {
            return admission.admit(identity, context);
        }
        if (!CompactJws.isCanonical(token)) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return jwt.authenticate(context, identityProviders)
                .onItem().ifNotNull().transformToUni(checked -> admission.admit(checked, context));
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
