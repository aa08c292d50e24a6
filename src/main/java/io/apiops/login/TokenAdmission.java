package io.apiops.login;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import io.apiops.config.ApiopsConfig;
import io.apiops.error.ApiException;
import io.apiops.error.RouterErrors;

/**
 * Admission control for the token endpoint, on the event loop before any worker thread is taken: at most as many
 * token requests are in progress as can hash at once plus the hashing queue ({@code apiops.password.max-concurrent}
 * plus {@code max-queue}). Any more are answered 503 {@code temporarily_unavailable} with {@code Retry-After} at once,
 * costing neither a database query nor a thread, so a flood of logins cannot delay the ones already admitted.
 */
@Singleton
public class TokenAdmission {

    private final AtomicInteger inProgress = new AtomicInteger();
    private final int limit;

    public TokenAdmission(ApiopsConfig config) {
        this.limit = config.password().maxConcurrent().orElse(Runtime.getRuntime().availableProcessors())
                + config.password().maxQueue();
    }

    void install(@Observes Router router) {
        router.post(TokenResource.PATH).order(Integer.MIN_VALUE + 3).handler(this::admit);
    }

    private void admit(RoutingContext context) {
        if (inProgress.incrementAndGet() > limit) {
            inProgress.decrementAndGet();
            RouterErrors.write(context, ApiException.temporarilyUnavailable());
            return;
        }
        context.addEndHandler(done -> inProgress.decrementAndGet());
        context.next();
    }
}
