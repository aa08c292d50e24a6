package io.apiops.login;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.ext.web.RoutingContext;

import io.apiops.config.ApiopsConfig;
import io.apiops.error.ApiException;

/**
 * Admission control for the token endpoint, on the event loop before the login is queued: at most as many
 * token requests are in progress as can hash at once plus the hashing queue ({@code apiops.password.max-concurrent}
 * plus {@code max-queue}). Any more are answered 503 {@code temporarily_unavailable} with {@code Retry-After} at once,
 * costing neither a database query nor a thread, so a flood of logins cannot delay the ones already admitted.
 * <p>
 * It is bound to the endpoint itself ({@link LoginEndpoint}), not to a path, so no spelling of the path gets past it.
 */
@ApplicationScoped
public class TokenAdmission {

    private final AtomicInteger inProgress = new AtomicInteger();
    private final int limit;

    public TokenAdmission(ApiopsConfig config) {
        this.limit = config.password().maxConcurrent().orElse(Runtime.getRuntime().availableProcessors())
                + config.password().maxQueue();
    }

    @LoginEndpoint
    @ServerRequestFilter(nonBlocking = true)
    public void admit(RoutingContext context) {
        if (inProgress.incrementAndGet() > limit) {
            inProgress.decrementAndGet();
            throw ApiException.temporarilyUnavailable();
        }
        context.addEndHandler(done -> inProgress.decrementAndGet());
    }
}
