package io.apiops.error;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Headers every API response gets: nothing an auth service answers may be cached unless a resource says so, and JSON
 * always names its charset.
 */
public class ResponseHeaders {

    @ServerResponseFilter
    public void apply(ContainerResponseContext response) {
        if (!response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
            response.getHeaders().putSingle("Pragma", "no-cache");
        }
        MediaType type = response.getMediaType();
        if (type != null && type.getParameters().get(MediaType.CHARSET_PARAMETER) == null
                && (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) || type.isCompatible(MediaType.TEXT_PLAIN_TYPE))) {
            response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, type.withCharset("UTF-8"));
        }
    }
}
