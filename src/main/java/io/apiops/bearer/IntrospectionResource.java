package io.apiops.bearer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

import io.apiops.config.ApiopsConfig;
import io.apiops.error.ApiException;
import io.apiops.user.Roles;

/**
 * {@code POST /apiops/auth/introspect} (RFC 7662), for administrators and for the role named by
 * {@code apiops.introspection.role}: whether a token is live, and if so whose it is and what it may do. Anything that
 * is not a live token is exactly {@code {"active":false}}, whatever the reason.
 */
@Path("/apiops/auth/introspect")
public class IntrospectionResource {

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final TokenIntrospection introspection;
    private final SecurityIdentity caller;
    private final Optional<String> introspectorRole;

    public IntrospectionResource(TokenIntrospection introspection, SecurityIdentity caller, ApiopsConfig config) {
        this.introspection = introspection;
        this.caller = caller;
        this.introspectorRole = config.introspection().role().map(String::strip).filter(role -> !role.isEmpty());
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<Map<String, Object>> introspect(@RestForm("token") List<String> values) {
        if (!caller.hasRole(Roles.ADMIN) && introspectorRole.filter(caller::hasRole).isEmpty()) {
            throw ApiException.forbidden();
        }
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            throw ApiException.invalidRequest("Missing parameter: token");
        }
        if (values.size() > 1) {
            throw ApiException.invalidRequest("The parameter token must be given once");
        }
        String token = values.get(0);
        return RestResponse.ResponseBuilder.ok(introspection.introspect(token.strip()).map(IntrospectionResource::active)
                .orElse(INACTIVE)).header("Cache-Control", "no-store").build();
    }

    private static Map<String, Object> active(TokenIntrospection.Live live) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", true);
        body.put("sub", live.username());
        body.put("username", live.username());
        body.put("scope", live.scope());
        body.put("exp", live.expiresAt());
        body.put("iat", live.issuedAt());
        body.put("jti", live.jti());
        body.put("iss", live.issuer());
        body.put("aud", live.audience().size() == 1 ? live.audience().iterator().next() : live.audience());
        body.put("token_type", "Bearer");
        return body;
    }
}
