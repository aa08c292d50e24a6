package io.apiops.ops;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

import io.apiops.http.RouteOrder;

/**
 * {@code /apiops/openapi} serves two audiences: a browser asking for HTML is sent to the interactive page, anything
 * else gets the OpenAPI document (also at {@code /apiops/openapi.json} and {@code /apiops/openapi.yaml}).
 */
@Singleton
public class ApiDocsPage {

    static final String UI = "/apiops/openapi/ui/";

    void install(@Observes Router router) {
        router.get("/apiops/openapi").order(RouteOrder.API_DOCS).handler(context -> {
            String accept = context.request().getHeader(HttpHeaders.ACCEPT);
            if (accept != null && accept.contains("text/html")) {
                context.redirect(UI);
            } else {
                context.next();
            }
        });
    }
}
