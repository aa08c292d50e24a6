package io.apiops.console;

import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import io.apiops.http.RouteOrder;
import io.apiops.user.Roles;

/**
 * Gives every response under {@code /apiops/console} a strict Content-Security-Policy and the other headers a page
 * that handles credentials needs, sends {@code /apiops/console} to {@code /apiops/console/}, and tells the console the
 * role catalogue. The files themselves are Quarkus's static resources.
 */
@Singleton
public class ConsoleRoutes {

    /** Ahead of the static files and the API's own routes, right after the body limit and the error handler. */
    static final int ORDER = RouteOrder.BODY_LIMIT;

    static final String BASE = "/apiops/console";

    /**
     * Scripts, styles, images and API calls come from this origin only; no inline script or style, no plugins, no
     * {@code <base>} rewriting. {@code form-action 'none'}: the page's forms are handled by script, so even a page
     * whose script failed to load can never send a password off in a form submission (or in a URL).
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");

    /** Path segments are compared without their matrix parameters, so {@code /apiops;x/console} is the console too. */
    private static final Pattern MATRIX = Pattern.compile(";[^/]*");
    private static final Pattern SLASHES = Pattern.compile("/{2,}");

    private final Roles roles;

    public ConsoleRoutes(Roles roles) {
        this.roles = roles;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::secure);
        router.get(BASE).order(ORDER + 1).handler(this::toIndex);
        router.get(BASE + "/roles.json").order(ORDER + 1).handler(this::roles);
    }

    private void secure(RoutingContext context) {
        if (isConsole(context.normalizedPath())) {
            // At the end, so that no later handler (the static files set their own caching) can weaken them.
            context.addHeadersEndHandler(done -> headers(context.response().headers()));
        }
        context.next();
    }

    /** {@code /apiops/console} to {@code /apiops/console/}, relatively, so that a path prefix of a proxy is kept. */
    private void toIndex(RoutingContext context) {
        if (context.normalizedPath().endsWith("/")) {
            context.next();
        } else {
            context.redirect("console/");
        }
    }

    /**
     * Whether a path names the console in any spelling: doubled slashes, matrix parameters, any letter case. It runs
     * for every request, so a path with neither a matrix parameter nor a doubled slash, as nearly all are, is compared
     * as it is, without the two regular expressions that would leave it unchanged.
     */
    static boolean isConsole(String normalizedPath) {
        String path = normalizedPath;
        if (path.indexOf(';') >= 0 || path.contains("//")) {
            path = SLASHES.matcher(MATRIX.matcher(path).replaceAll("")).replaceAll("/");
        }
        path = path.toLowerCase(Locale.ROOT);
        return path.equals(BASE) || path.startsWith(BASE + "/");
    }

    static void headers(MultiMap headers) {
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Cross-Origin-Resource-Policy", "same-origin");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        // The files are small; nothing of a console that handles credentials should stay on a shared machine's
        // disk, and a page that is not stored is not brought back by the browser's back button after sign-out.
        headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
        headers.remove(HttpHeaders.LAST_MODIFIED);
        headers.remove(HttpHeaders.ETAG);
    }

    private void roles(RoutingContext context) {
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json;charset=UTF-8")
                .end(new JsonObject().put("roles", new JsonArray(roles.all())).encode());
    }
}
