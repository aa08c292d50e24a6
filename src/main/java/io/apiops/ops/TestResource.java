package io.apiops.ops;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.NonBlocking;

/**
 * The Management API's test endpoints: one open, one behind a bearer token. Neither does any I/O, so both run on the
 * event loop; the bearer check (verified-token cache and revocation map) does no I/O either.
 */
@Path("/apiops/test")
@NonBlocking
@Produces(MediaType.TEXT_PLAIN)
public class TestResource {

    @GET
    @Path("healthcheck")
    @PermitAll
    public String healthcheck() {
        return "OK";
    }

    @GET
    @Path("hello/{name}")
    @Authenticated
    public String hello(@PathParam("name") String name) {
        return "Hello " + name;
    }
}
