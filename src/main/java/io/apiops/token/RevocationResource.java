package io.apiops.token;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

import io.apiops.error.ApiException;
import io.apiops.user.Roles;

/** {@code POST /apiops/auth/revoke}: RFC 7009 revocation of a personal token by its value. */
@Path("/apiops/auth/revoke")
public class RevocationResource {

    private final TokenService tokens;
    private final JsonWebToken caller;
    private final SecurityIdentity identity;

    public RevocationResource(TokenService tokens, JsonWebToken caller, SecurityIdentity identity) {
        this.tokens = tokens;
        this.caller = caller;
        this.identity = identity;
    }

    /**
     * The answer is 200 whether the token was revoked, already revoked, unknown, invalid, or not the caller's to
     * revoke, so it reveals nothing about the token.
     */
    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public RestResponse<Void> revoke(@RestForm("token") List<String> values) {
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            throw ApiException.invalidRequest("Missing parameter: token");
        }
        if (values.size() > 1) {
            throw ApiException.invalidRequest("The parameter token must be given once");
        }
        String token = values.get(0);
        tokens.revokeByValue(token.strip(), caller, identity.hasRole(Roles.ADMIN));
        return RestResponse.ok();
    }
}
