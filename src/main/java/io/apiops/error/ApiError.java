package io.apiops.error;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The body of every error response: {@code {"error","error_description"[,"validation_errors"]}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "error", "error_description", "validation_errors" })
public record ApiError(
        String error,
        @JsonProperty("error_description") String errorDescription,
        @JsonProperty("validation_errors") List<FieldError> validationErrors) {

    public ApiError(String error, String errorDescription) {
        this(error, errorDescription, null);
    }

    /** One offending field of a rejected request body. */
    public record FieldError(String field, String message) {
    }
}
