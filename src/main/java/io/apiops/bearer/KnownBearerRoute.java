package io.apiops.bearer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import io.apiops.http.RouteOrder;

/**
 * The bearer check's fast path, at the router: a request whose one {@code Authorization} header carries a token
 * that {@link VerifiedTokens} holds, and that {@link BearerAdmission} admits as of now, is authenticated here, in a
 * plain method call, before the framework's lazy authentication would be asked. The endpoint's security check then
 * finds the identity ready instead of running the authentication pipeline's chain of deferred steps, which cost a
 * protected call more than the look-up itself.
 * <p>
 * Anything else (no header, a token not verified yet, a refused one) goes on untouched to
 * {@link CachedBearerMechanism}, which decides it exactly as before, answers included: this route only ever
 * authenticates what that mechanism would authenticate from the same memory, and never refuses anything.
 */
@ApplicationScoped
public class KnownBearerRoute {

    private final VerifiedTokens verified;
    private final BearerAdmission admission;

    public KnownBearerRoute(VerifiedTokens verified, BearerAdmission admission) {
        this.verified = verified;
        this.admission = admission;
    }

    void install(@Observes Router router) {
        router.route().order(RouteOrder.KNOWN_BEARER).handler(this::authenticate);
    }

    void authenticate(RoutingContext context) {
        String token = CompactJws.soleCandidate(context.request().headers().getAll(HttpHeaders.AUTHORIZATION));
        SecurityIdentity known = token == null ? null : verified.lookup(token);
        SecurityIdentity admitted = known == null ? null : admission.admitted(known, context);
        if (admitted != null) {
            QuarkusHttpUser.setIdentity(admitted, context);
        }
        context.next();
    }
}
