package io.apiops.error;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of every error response: {@code {"error","error_description"}}, with {@code validation_errors} for a
 * rejected body and {@code retry_after} for a rate limit.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "error", "error_description", "validation_errors", "retry_after" })
public record ApiError(
        String error,
        @JsonProperty("error_description") String errorDescription,
        @JsonProperty("validation_errors") List<FieldError> validationErrors,
        @JsonProperty("retry_after") Long retryAfter) {

    public ApiError(String error, String errorDescription) {
        this(error, errorDescription, null, null);
    }

    public ApiError(String error, String errorDescription, List<FieldError> validationErrors) {
        this(error, errorDescription, validationErrors, null);
    }

    /** One offending field of a rejected request body. */
    @RegisterForReflection
    public record FieldError(String field, String message) {
    }
}
