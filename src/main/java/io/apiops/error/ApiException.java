package io.apiops.error;

import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;

/**
 * A failure the client is meant to see: an HTTP status, an OAuth2-style error code and a description that is safe to
 * show. Code throws one of the named factories; {@link ErrorMappers} turns it into an {@link ApiError} response.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String description;
    private final Map<String, String> headers;

    protected ApiException(int status, String error, String description, Map<String, String> headers) {
        super(error + ": " + description, null, false, false);
        this.status = status;
        this.error = error;
        this.description = description;
        this.headers = Map.copyOf(headers);
    }

    private ApiException(Status status, String error, String description) {
        this(status.getStatusCode(), error, description, Map.of());
    }

    /** The one answer for unknown user, wrong password, disabled and locked accounts alike. */
    public static ApiException badCredentials() {
        return new ApiException(Status.UNAUTHORIZED, "unauthorized_client", "Bad credentials");
    }

    /** A bearer token that is missing, malformed, expired, tampered with or no longer honoured. */
    public static ApiException invalidToken() {
        return new ApiException(Status.UNAUTHORIZED.getStatusCode(), "unauthorized_client", "Invalid token",
                Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
    }

    public static ApiException forbidden() {
        return new ApiException(Status.FORBIDDEN, "forbidden", "You do not have permission to perform this action");
    }

    /** The operation needs the caller's current password, which was missing or wrong. */
    public static ApiException reauthenticationRequired(String description) {
        return new ApiException(Status.FORBIDDEN, "reauthentication_required", description);
    }

    public static ApiException unsupportedGrantType() {
        return new ApiException(Status.BAD_REQUEST, "unsupported_grant_type",
                "GrantType value must be client_credentials!");
    }

    public static ApiException invalidRequest(String description) {
        return new ApiException(Status.BAD_REQUEST, "invalid_request", description);
    }

    public static ApiException unsupportedMediaType(String description) {
        return new ApiException(Status.UNSUPPORTED_MEDIA_TYPE, "invalid_request", description);
    }

    public static ApiException payloadTooLarge(String description) {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE, "invalid_request", description);
    }

    public static ApiException methodNotAllowed() {
        return new ApiException(Status.METHOD_NOT_ALLOWED, "method_not_allowed",
                "This method is not allowed on this resource");
    }

    /** The token endpoint's 405, naming the one method it takes. */
    public static ApiException postOnly() {
        return new ApiException(Status.METHOD_NOT_ALLOWED.getStatusCode(), "method_not_allowed",
                "This method is not allowed on this resource", Map.of(HttpHeaders.ALLOW, "POST"));
    }

    public static ApiException notAcceptable() {
        return new ApiException(Status.NOT_ACCEPTABLE, "not_acceptable",
                "This resource can only answer with application/json");
    }

    public static ApiException notFound(String description) {
        return new ApiException(Status.NOT_FOUND, "not_found", description);
    }

    /** One field of the request breaks a rule that only the service can check: 400 {@code validation_failed}. */
    public static ApiException invalidField(String field, String message) {
        return new InvalidFieldException(field, message);
    }

    /** A change that would break an invariant of the stored data, such as leaving no administrator. */
    public static ApiException conflict(String description) {
        return new ApiException(Status.CONFLICT, "conflict", description);
    }

    public static ApiException duplicateName() {
        return new ApiException(Status.CONFLICT, "duplicate_name", "A user with this username already exists");
    }

    /** RFC 6749 section 5.2's answer when the server is too busy to take the request now. */
    public static ApiException temporarilyUnavailable() {
        return new ApiException(Status.SERVICE_UNAVAILABLE.getStatusCode(), "temporarily_unavailable",
                "The service is busy; retry shortly", Map.of("Retry-After", "1"));
    }

    public static ApiException serverError() {
        return new ApiException(Status.INTERNAL_SERVER_ERROR, "server_error", "An unexpected error occurred");
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public ApiError body() {
        return new ApiError(error, description);
    }
}
