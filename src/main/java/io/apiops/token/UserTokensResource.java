package io.apiops.token;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.apiops.token.TokenViews.PersonalTokenView;
import io.apiops.user.Roles;
import io.apiops.user.UserViews.Envelope;

/** Any user's tokens, for administrators. */
@Path("/apiops/users/{username}/tokens")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class UserTokensResource {

    private final TokenService tokens;

    public UserTokensResource(TokenService tokens) {
        this.tokens = tokens;
    }

    @GET
    public Envelope<PersonalTokenView> list(@PathParam("username") String username, @BeanParam TokenListQuery query) {
        return tokens.list(username, query);
    }
}
