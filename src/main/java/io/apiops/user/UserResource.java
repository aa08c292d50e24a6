package io.apiops.user;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestResponse;

import io.apiops.user.UserViews.CreateUser;
import io.apiops.user.UserViews.Envelope;
import io.apiops.user.UserViews.SetPassword;
import io.apiops.user.UserViews.UpdateUser;
import io.apiops.user.UserViews.UserView;

/** User administration; every path also answers with a trailing slash. Actions without a body take any body. */
@Path("/apiops/users")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    private final UserService users;

    public UserResource(UserService users) {
        this.users = users;
    }

    @GET
    public Envelope<UserView> list() {
        return Envelope.of(users.list());
    }

    @POST
    public RestResponse<UserView> create(@NotNull @Valid CreateUser body) {
        UserView created = users.create(body);
        URI location = UriBuilder.fromPath("/apiops/users/{username}/").build(created.username());
        return RestResponse.ResponseBuilder.<UserView> created(location).entity(created).build();
    }

    @GET
    @Path("{username}")
    public UserView get(@PathParam("username") String username) {
        return users.get(username);
    }

    @PUT
    @Path("{username}")
    public UserView update(@PathParam("username") String username, @NotNull @Valid UpdateUser body) {
        return users.update(username, body);
    }

    @PUT
    @Path("{username}/password")
    public UserView setPassword(@PathParam("username") String username, @NotNull @Valid SetPassword body) {
        return users.setPassword(username, body.password());
    }

    @POST
    @Path("{username}/unlock")
    @Consumes(MediaType.WILDCARD)
    public UserView unlock(@PathParam("username") String username) {
        return users.unlock(username);
    }

    /** Locks the account until an administrator unlocks it; its tokens stop working at once. */
    @POST
    @Path("{username}/lock")
    @Consumes(MediaType.WILDCARD)
    public UserView lock(@PathParam("username") String username) {
        return users.lock(username);
    }

    @DELETE
    @Path("{username}")
    public void delete(@PathParam("username") String username) {
        users.delete(username);
    }
}
