package io.apiops.error;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.hibernate.exception.DataException;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpClosedException;

/**
 * Every exception that reaches the REST layer becomes an {@link ApiError}. Nothing of the exception itself (class,
 * message, stack trace, SQL) is ever written to a response.
 */
public class ErrorMappers {

    /** JSON error bodies carry an explicit charset, as the published contract has them. */
    public static final MediaType JSON_UTF8 = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    static final String INVALID_FIELDS = "The request has invalid fields";

    @ServerExceptionMapper
    public RestResponse<ApiError> apiException(ApiException e) {
        RestResponse.ResponseBuilder<ApiError> response = RestResponse.ResponseBuilder
                .<ApiError> create(e.status())
                .entity(e.body())
                .type(JSON_UTF8);
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> validation(ConstraintViolationException e) {
        List<ApiError.FieldError> fields = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            fields.add(new ApiError.FieldError(fieldName(violation.getPropertyPath()), violation.getMessage()));
        }
        return fieldErrors(fields);
    }

    private static RestResponse<ApiError> fieldErrors(List<ApiError.FieldError> fields) {
        List<ApiError.FieldError> sorted = new ArrayList<>(fields);
        sorted.sort(Comparator.comparing(ApiError.FieldError::field).thenComparing(ApiError.FieldError::message));
        ApiError body = new ApiError("validation_failed", INVALID_FIELDS, sorted);
        return RestResponse.ResponseBuilder.<ApiError> create(400).entity(body).type(JSON_UTF8).build();
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    /** No credentials, or a bearer token that failed verification. */
    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public RestResponse<ApiError> unauthenticated(Exception e) {
        return apiException(ApiException.invalidToken());
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> forbidden(ForbiddenException e) {
        return apiException(ApiException.forbidden());
    }

    /** A body that is not JSON at all. */
    @ServerExceptionMapper
    public RestResponse<ApiError> unreadableJson(JacksonException e) {
        return apiException(ApiException.invalidRequest("The request body is not valid JSON"));
    }

    /** Well-formed JSON with a field this endpoint does not know. */
    @ServerExceptionMapper
    public RestResponse<ApiError> unknownField(UnrecognizedPropertyException e) {
        return fieldErrors(List.of(new ApiError.FieldError(jsonPath(e), "is not a known field")));
    }

    /** Well-formed JSON with a value of the wrong type, such as a string where a boolean belongs. */
    @ServerExceptionMapper
    public RestResponse<ApiError> wrongType(MismatchedInputException e) {
        return fieldErrors(List.of(new ApiError.FieldError(jsonPath(e), "has the wrong type")));
    }

    /** What the framework itself refuses: no such path, wrong method, wrong media type, unreadable body. */
    @ServerExceptionMapper
    public RestResponse<ApiError> framework(WebApplicationException e) {
        RestResponse<ApiError> response = apiException(forStatus(e.getResponse().getStatus()));
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            response.getHeaders().putSingle(HttpHeaders.ALLOW, allow);
        }
        return response;
    }

    /**
     * A value the database cannot store or compare, such as a NUL character in a name: the client's data is at
     * fault (SQL state class 22), not the service.
     */
    @ServerExceptionMapper
    public RestResponse<ApiError> unstorable(DataException e) {
        return apiException(ApiException.invalidRequest("The request contains a value that cannot be stored"));
    }

    /**
     * A client that hung up while its request was being read is no failure of ours: noted quietly, answered 400 in
     * case anyone is still listening. Any other I/O failure is unexpected.
     */
    @ServerExceptionMapper
    public RestResponse<ApiError> io(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpClosedException || cause instanceof ClosedChannelException) {
                Log.debug("The client closed the connection before its request was read");
                return apiException(ApiException.invalidRequest("The connection closed before the request was read"));
            }
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> unexpected(Throwable e) {
        String id = UUID.randomUUID().toString();
        Log.errorf(e, "Unexpected error %s", id);
        return apiException(ApiException.serverError());
    }

    /** The API's error for a status that a framework component chose. */
    public static ApiException forStatus(int status) {
        return switch (status) {
            case 401 -> ApiException.invalidToken();
            case 403 -> ApiException.forbidden();
            case 404 -> ApiException.notFound("No such resource");
            case 405 -> ApiException.methodNotAllowed();
            case 406 -> ApiException.notAcceptable();
            case 413 -> ApiException.payloadTooLarge("The request body is too large");
            case 415 -> ApiException.unsupportedMediaType("This Content-Type is not supported here");
            default -> status >= 400 && status < 500
                    ? ApiException.invalidRequest("The request is malformed")
                    : ApiException.serverError();
        };
    }

    /** The request field a violation is about: {@code create.body.roleNameList[0].<list element>} is "roleNameList". */
    private static String fieldName(Path path) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getName() != null && !node.getName().startsWith("<")) {
                    names.add(node.getName());
                }
            }
        }
        return names.isEmpty() ? "body" : String.join(".", names);
    }
}
