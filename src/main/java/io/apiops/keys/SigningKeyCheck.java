package io.apiops.keys;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the signing key can sign what its published key verifies. */
@Readiness
@ApplicationScoped
public class SigningKeyCheck implements HealthCheck {

    private final SigningKeys keys;

    public SigningKeyCheck(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("signing key")
                .status(keys.selfTest())
                .withData("kid", keys.keyId())
                .withData("algorithm", keys.algorithm().getAlgorithm())
                .build();
    }
}
