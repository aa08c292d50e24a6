package io.apiops.http;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * Hands requests whose target is not a valid URI (such as {@code /a%ZZ}) to the router, which answers them with the
 * API's JSON 400 ({@code io.apiops.error.RouterErrors}), instead of the bare 400 that Quarkus's HTTP root handler
 * writes before any route runs.
 * <p>
 * Quarkus reads the switch, the system property {@value #PROPERTY}, once, when its HTTP recorder class is initialised
 * during static init. The configuration is built before any recorded step in every launch mode (dev, test, the
 * packaged jar, the container), and a customizer marked {@link StaticInitSafe} takes part in building the static
 * configuration, so setting the property here is early enough. Registered in
 * {@code META-INF/services/io.smallrye.config.SmallRyeConfigBuilderCustomizer}.
 */
@StaticInitSafe
public class RouterValidatesUris implements SmallRyeConfigBuilderCustomizer {

    static final String PROPERTY = "vertx.disableURIValidation";

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        System.setProperty(PROPERTY, "true");
    }
}
