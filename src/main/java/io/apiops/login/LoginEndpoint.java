package io.apiops.login;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Binds the token endpoint's own filters to it. They run once the framework has matched the request to the endpoint,
 * so every spelling of its path that reaches it (matrix parameters, doubled slashes, dot segments, percent-encoding)
 * meets them too.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@interface LoginEndpoint {
}
