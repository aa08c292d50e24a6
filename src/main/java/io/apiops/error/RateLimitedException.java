package io.apiops.error;

import java.util.Map;

/** 429 {@code rate_limit_exceeded}, carrying when to come back, in the Management API's documented shape. */
public class RateLimitedException extends ApiException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public RateLimitedException(long retryAfterSeconds) {
        super(429, "rate_limit_exceeded", "Too many failed logins from this address; retry after " + retryAfterSeconds
                + " seconds", Map.of("Retry-After", Long.toString(retryAfterSeconds)));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public ApiError body() {
        return new ApiError(error(), description(), null, retryAfterSeconds);
    }
}
