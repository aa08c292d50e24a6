package io.apiops.keys;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.ResponseHeader;

import io.apiops.config.ApiopsConfig;

/**
 * RFC 8414 authorization server metadata. URLs are absolute, built from the request; behind a proxy, enabling
 * {@code quarkus.http.proxy.*} forwarding makes them the public ones.
 */
@Path("/.well-known/oauth-authorization-server")
@PermitAll
public class MetadataResource {

    private final String issuer;

    public MetadataResource(ApiopsConfig config) {
        this.issuer = config.token().issuer();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "public, max-age=300")
    public Map<String, Object> metadata(UriInfo uri) {
        URI base = uri.getBaseUri();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("token_endpoint", base.resolve("apiops/auth/token").toString());
        metadata.put("jwks_uri", base.resolve("apiops/auth/jwks").toString());
        metadata.put("revocation_endpoint", base.resolve("apiops/auth/revoke").toString());
        metadata.put("grant_types_supported", List.of("client_credentials"));
        metadata.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        metadata.put("revocation_endpoint_auth_methods_supported", List.of("bearer"));
        metadata.put("response_types_supported", List.of());
        metadata.put("service_documentation", base.resolve("apiops/openapi").toString());
        return metadata;
    }
}
