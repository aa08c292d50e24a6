package io.apiops.error;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import io.apiops.http.RouteOrder;

/**
 * Answers what never reaches a resource in the API's JSON error shape: paths no resource serves, and failures of the
 * HTTP layer itself (an oversized body, a malformed request line).
 */
@Singleton
public class RouterErrors {

    /** The largest request body any endpoint accepts. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /**
     * Reads a body of unannounced length (chunked) up to the limit before any endpoint sees it, so that one past the
     * limit gets the same JSON 413 as an announced one; the endpoints then take the body already read.
     */
    private final BodyHandler chunkedBodies = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);

    void install(@Observes Router router) {
        // Ahead of the framework's own size check, which answers 413 with an empty body.
        router.route().order(RouteOrder.BODY_LIMIT).handler(this::limitBody);
        router.route()
                .order(RouteOrder.NOT_FOUND)
                .handler(context -> write(context, ApiException.notFound("No such resource")));
        router.route().order(RouteOrder.FAILURES).failureHandler(this::failure);
        // Failures before any route matched, such as a path whose percent-encoding is broken.
        for (int status : new int[] { 400, 404, 405, 413, 414, 415, 431, 500 }) {
            router.errorHandler(status, this::failure);
        }
    }

    private void limitBody(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && exceedsLimit(length)) {
            // Answer without reading the body, then close: the rest of the announced body is not wanted.
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            context.addEndHandler(done -> context.request().connection().close());
            write(context, ApiException.payloadTooLarge("The request body must not exceed 64 KiB"));
            return;
        }
        if (length == null && context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            chunkedBodies.handle(context);
            return;
        }
        context.next();
    }

    private static boolean exceedsLimit(String length) {
        try {
            return Long.parseLong(length.trim()) > MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void failure(RoutingContext context) {
        int status = context.statusCode();
        if (status < 400) {
            status = 500;
        }
        if (status >= 500 && context.failure() != null) {
            Log.errorf(context.failure(), "Unexpected error in the HTTP layer");
        }
        write(context, ErrorMappers.forStatus(status));
    }

    public static void write(RoutingContext context, ApiException error) {
        if (context.response().headWritten()) {
            context.response().end();
            return;
        }
        context.response().setStatusCode(error.status());
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, ErrorMappers.JSON_UTF8.toString());
        context.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        error.headers().forEach(context.response()::putHeader);
        context.response().end(Json.encode(error.body()));
    }
}
