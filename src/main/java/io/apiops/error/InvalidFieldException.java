package io.apiops.error;

import java.util.List;
import java.util.Map;

/**
 * A request field that passed Bean Validation but breaks a rule only a service can check, such as the password
 * policy: answered like a validation failure, 400 {@code validation_failed} naming the field.
 */
public class InvalidFieldException extends ApiException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String message;

    InvalidFieldException(String field, String message) {
        super(400, "validation_failed", ErrorMappers.INVALID_FIELDS, Map.of());
        this.field = field;
        this.message = message;
    }

    @Override
    public ApiError body() {
        return new ApiError(error(), description(), List.of(new ApiError.FieldError(field, message)));
    }
}
