package io.apiops.error;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import io.apiops.http.RouteOrder;

/**
 * Answers what never reaches a resource in the API's JSON error shape: paths no resource serves, and failures of the
 * HTTP layer itself (an oversized body, a malformed request line, a request target with broken percent-encoding).
 */
@Singleton
public class RouterErrors {

    /** The largest request body any endpoint accepts. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    static final String INVALID_PATH = "The request path is not valid";

    /**
     * Reads a body of unannounced length (chunked) up to the limit before any endpoint sees it, so that one past the
     * limit gets the same JSON 413 as an announced one; the endpoints then take the body already read.
     */
    private final BodyHandler chunkedBodies = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);

    void install(@Observes Router router) {
        // Before any route reads the path: the router's path decoding throws on a broken escape (see
        // io.apiops.http.RouterValidatesUris for why such requests reach the router at all).
        router.route().order(RouteOrder.REQUEST_TARGET).handler(this::checkTarget);
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

    /** The management interface gets the same check: its router, too, fails on a broken escape in the path. */
    void installOnManagement(@Observes ManagementInterface management) {
        management.router().route().order(RouteOrder.REQUEST_TARGET).handler(this::checkTarget);
    }

    /**
     * The check Quarkus's HTTP root handler makes, the request target parsed as a {@link URI}, answered in the API's
     * shape. The connection is closed after the answer: a client that sent a malformed request line may frame the
     * rest of its bytes just as wrongly.
     */
    private void checkTarget(RoutingContext context) {
        ApiException malformed = malformedTarget(context);
        if (malformed == null) {
            context.next();
            return;
        }
        if (context.request().version() != HttpVersion.HTTP_2) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            context.addEndHandler(done -> context.request().connection().close());
        }
        write(context, malformed);
    }

    /** The error for a request target that is not a valid URI, or null if it is one. */
    private static ApiException malformedTarget(RoutingContext context) {
        String target = context.request().uri();
        if (target == null) {
            return ApiException.invalidRequest(INVALID_PATH);
        }
        int query = target.indexOf('?');
        if (!isUri(query < 0 ? target : target.substring(0, query))) {
            return ApiException.invalidRequest(INVALID_PATH);
        }
        // Without a query the whole target was the path just parsed; every request comes here, so not twice.
        if (query >= 0 && !isUri(target)) {
            return ApiException.invalidRequest("The request query is not valid");
        }
        try {
            context.normalizedPath();
        } catch (IllegalArgumentException e) {
            return ApiException.invalidRequest(INVALID_PATH);
        }
        return null;
    }

    private static boolean isUri(String target) {
        try {
            new URI(target);
            return true;
        } catch (URISyntaxException e) {
            return false;
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
        // A route that reads the path ahead of the check above (such as an access log), failing on a broken escape.
        ApiException malformed = context.failure() instanceof IllegalArgumentException ? malformedTarget(context) : null;
        if (malformed != null) {
            write(context, malformed);
            return;
        }
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
