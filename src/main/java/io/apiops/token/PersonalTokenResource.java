package io.apiops.token;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

import io.apiops.token.TokenViews.CreatePersonalToken;
import io.apiops.token.TokenViews.CreatedPersonalToken;
import io.apiops.token.TokenViews.PersonalTokenView;
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

    public PersonalTokenResource(TokenService tokens, JsonWebToken caller, SecurityIdentity identity) {
        this.tokens = tokens;
        this.caller = caller;
        this.identity = identity;
    }

    @GET
    @Authenticated
    public Envelope<PersonalTokenView> listOwn() {
        return Envelope.of(tokens.list(caller.getName()));
    }

    @POST
    @Authenticated
    public RestResponse<CreatedPersonalToken> create(@NotNull @Valid CreatePersonalToken body) {
        return RestResponse.status(RestResponse.Status.CREATED, tokens.create(caller.getName(), body));
    }

    @DELETE
    @Path("{id}")
    @Authenticated
    public void revoke(@PathParam("id") String id) {
        tokens.revoke(id, caller, identity.hasRole(Roles.ADMIN));
    }
}
