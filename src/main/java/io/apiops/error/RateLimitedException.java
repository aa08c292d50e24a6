package io.apiops.error;

import java.util.Map;

/** 429 {@code rate_limit_exceeded}, carrying when to come back, in the Management API's documented shape. */
public class RateLimitedException extends ApiException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    /** Too many failed logins from one client address. */
    public RateLimitedException(long retryAfterSeconds) {
        this("Too many failed logins from this address", retryAfterSeconds);
    }

    /** {@code what} was too many, in a sentence without its full stop; the description adds when to retry. */
    public RateLimitedException(String what, long retryAfterSeconds) {
        super(429, "rate_limit_exceeded", what + "; retry after " + retryAfterSeconds + " seconds",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public ApiError body() {
        return new ApiError(error(), description(), null, retryAfterSeconds);
    }
}
