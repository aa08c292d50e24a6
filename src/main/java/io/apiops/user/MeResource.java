package io.apiops.user;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.Authenticated;

import io.apiops.user.UserViews.ChangeOwnPassword;
import io.apiops.user.UserViews.UserView;

/** The caller's own account. */
@Path("/apiops/auth/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MeResource {

    private final UserService users;
    private final JsonWebToken caller;

    public MeResource(UserService users, JsonWebToken caller) {
        this.users = users;
        this.caller = caller;
    }

    @GET
    public UserView me() {
        return users.get(caller.getName());
    }

    /** Every token of the caller, this one included, stops working once the password has changed. */
    @PUT
    @Path("password")
    public UserView changePassword(@NotNull @Valid ChangeOwnPassword body) {
        return users.changeOwnPassword(caller.getName(), body.currentPassword(), body.newPassword());
    }
}
