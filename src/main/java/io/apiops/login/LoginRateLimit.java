package io.apiops.login;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.scheduler.Scheduled;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import io.apiops.config.ApiopsConfig;
import io.apiops.error.RateLimitedException;
import io.apiops.error.RouterErrors;

/**
 * Limits failed logins per client address: once an address has had {@code apiops.rate-limit.failures-per-minute}
 * token requests answered 401 within the current minute, its token requests are refused with 429 until the minute is
 * over, before any password is hashed. The address is the connection's peer, or, when the operator enables Quarkus's
 * proxy forwarding for trusted proxies, the client that the proxy names in {@code X-Forwarded-For}.
 * <p>
 * Counts are kept per replica, in memory: with N replicas behind a balancer an address gets up to N times the limit.
 */
@Singleton
public class LoginRateLimit {

    private static final long WINDOW_MILLIS = 60_000;

    /** Failures of one address in one fixed minute. */
    private record Window(long start, int failures) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final ApiopsConfig.RateLimit config;
    private final Clock clock;

    public LoginRateLimit(ApiopsConfig config, Clock clock) {
        this.config = config.rateLimit();
        this.clock = clock;
    }

    void install(@Observes Router router) {
        if (config.enabled()) {
            router.post(TokenResource.PATH).order(Integer.MIN_VALUE + 2).handler(this::check);
        }
    }

    private void check(RoutingContext context) {
        String address = address(context);
        long now = clock.millis();
        Window window = windows.get(address);
        if (window != null && now - window.start() < WINDOW_MILLIS && window.failures() >= config.failuresPerMinute()) {
            long retryAfter = Math.max(1, (window.start() + WINDOW_MILLIS - now + 999) / 1000);
            RouterErrors.write(context, new RateLimitedException(retryAfter));
            return;
        }
        context.addHeadersEndHandler(done -> {
            if (context.response().getStatusCode() == 401) {
                recordFailure(address, clock.millis());
            }
        });
        context.next();
    }

    private void recordFailure(String address, long now) {
        windows.compute(address, (key, window) -> window == null || now - window.start() >= WINDOW_MILLIS
                ? new Window(now, 1)
                : new Window(window.start(), window.failures() + 1));
    }

    private static String address(RoutingContext context) {
        SocketAddress remote = context.request().remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }

    /** Forgets finished windows, so memory follows the addresses seen in the last minute. */
    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetOldWindows() {
        long now = clock.millis();
        windows.values().removeIf(window -> now - window.start() >= WINDOW_MILLIS);
    }
}
