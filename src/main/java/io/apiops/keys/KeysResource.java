package io.apiops.keys;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

/** Publishes the verification keys so that gateways can check tokens without calling the service. */
@Path("/apiops/auth/jwks")
@PermitAll
public class KeysResource {

    private final SigningKeys keys;

    public KeysResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "public, max-age=300")
    public String jwks() {
        return keys.jwks();
    }
}
