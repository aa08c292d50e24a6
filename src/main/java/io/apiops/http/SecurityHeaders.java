package io.apiops.http;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every response carries, from a resource, the router's own error answers or the management interface alike:
 * no response of an auth service is ever to be content-sniffed into something executable.
 */
@Singleton
public class SecurityHeaders {

    void install(@Observes Router router) {
        router.route().order(RouteOrder.SECURITY_HEADERS).handler(SecurityHeaders::apply);
    }

    void installOnManagement(@Observes ManagementInterface management) {
        management.router().route().order(RouteOrder.SECURITY_HEADERS).handler(SecurityHeaders::apply);
    }

    private static void apply(RoutingContext context) {
        context.response().headers().set("X-Content-Type-Options", "nosniff");
        context.next();
    }
}
