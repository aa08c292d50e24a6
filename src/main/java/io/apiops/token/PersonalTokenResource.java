package io.apiops.token;

import java.io.IOException;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

import io.apiops.error.ApiException;
import io.apiops.token.TokenViews.CreatePersonalToken;
import io.apiops.token.TokenViews.CreatedPersonalToken;
import io.apiops.token.TokenViews.PersonalTokenView;
import io.apiops.token.TokenViews.RotatePersonalToken;
import io.apiops.user.Roles;
import io.apiops.user.UserViews.Envelope;

/** The caller's personal API access tokens; administrators may revoke anyone's. */
@Path("/apiops/auth/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PersonalTokenResource {

    private final TokenService tokens;
    private final JsonWebToken caller;
    private final SecurityIdentity identity;
    private final ObjectMapper json;
    private final Validator validator;

    public PersonalTokenResource(TokenService tokens, JsonWebToken caller, SecurityIdentity identity,
            ObjectMapper json, Validator validator) {
        this.tokens = tokens;
        this.json = json;
        this.validator = validator;
        this.caller = caller;
        this.identity = identity;
    }

    @GET
    @Authenticated
    public Envelope<PersonalTokenView> listOwn(@BeanParam TokenListQuery query) {
        return tokens.list(caller.getName(), query);
    }

    @POST
    @Authenticated
    public RestResponse<CreatedPersonalToken> create(@NotNull @Valid CreatePersonalToken body) {
        return RestResponse.status(RestResponse.Status.CREATED, tokens.create(identity, body));
    }

    /**
     * Replaces the token with a new one and revokes it. A token may rotate itself: this is how automation renews its
     * own credentials. The body is optional.
     */
    @POST
    @Path("{id}/rotate")
    @Consumes(MediaType.WILDCARD)
    @Authenticated
    public RestResponse<CreatedPersonalToken> rotate(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RotatePersonalToken.class))) String body) throws IOException {
        return RestResponse.status(RestResponse.Status.CREATED,
                tokens.rotate(id, identity, rotation(contentType, body)));
    }

    /**
     * The optional body of a rotation: none at all (no Content-Type needed, as for a bodiless POST), or JSON read and
     * validated like every other request body.
     */
    private RotatePersonalToken rotation(String contentType, String body) throws IOException {
        if (body == null || body.isBlank()) {
            return RotatePersonalToken.KEEP;
        }
        if (contentType == null || !MediaType.APPLICATION_JSON_TYPE.isCompatible(MediaType.valueOf(contentType))) {
            throw ApiException.unsupportedMediaType("Content-Type must be application/json");
        }
        RotatePersonalToken request = json.readValue(body, RotatePersonalToken.class);
        if (request == null) {
            // The JSON literal null: nothing asked for, as with no body.
            return RotatePersonalToken.KEEP;
        }
        Set<ConstraintViolation<RotatePersonalToken>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return request;
    }

    @DELETE
    @Path("{id}")
    @Authenticated
    public void revoke(@PathParam("id") String id) {
        tokens.revoke(id, caller, identity.hasRole(Roles.ADMIN));
    }
}
