package io.apiops.keys;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;

import io.apiops.config.ApiopsConfig;

/**
 * RFC 8414 authorization server metadata. Its URLs come from {@code apiops.public-url}, or are relative to this service
 * when that is unset; never from the request's {@code Host} or forwarding headers, so that no request can make a cached
 * copy of this document point anywhere else.
 */
@Path("/.well-known/oauth-authorization-server")
@PermitAll
public class MetadataResource {

    private final Map<String, Object> metadata;

    public MetadataResource(ApiopsConfig config) {
        String base = config.publicUrl().map(MetadataResource::base).orElse("");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", config.token().issuer());
        document.put("token_endpoint", base + "/apiops/auth/token");
        document.put("jwks_uri", base + "/apiops/auth/jwks");
        document.put("revocation_endpoint", base + "/apiops/auth/revoke");
        document.put("grant_types_supported", List.of("client_credentials"));
        document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        document.put("revocation_endpoint_auth_methods_supported", List.of("bearer"));
        document.put("response_types_supported", List.of());
        document.put("service_documentation", base + "/apiops/openapi");
        this.metadata = Collections.unmodifiableMap(document);
    }

    /** The public URL without a trailing slash; anything but an absolute http(s) URL with no query is refused. */
    private static String base(URI url) {
        if (!url.isAbsolute() || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))
                || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null
                || url.getRawUserInfo() != null) {
            throw new IllegalStateException("apiops.public-url must be an absolute http(s) URL without query, "
                    + "fragment or user info");
        }
        String text = url.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "public, max-age=300")
    public Map<String, Object> metadata() {
        return metadata;
    }
}
