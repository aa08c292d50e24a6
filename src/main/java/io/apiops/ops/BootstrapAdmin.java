package io.apiops.ops;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

import io.apiops.config.ApiopsConfig;
import io.apiops.user.UserService;

/**
 * Creates the first administrator from {@code apiops.bootstrap.admin.*} when the user table is empty. Production has
 * no default: without those settings nobody is created.
 */
@Singleton
public class BootstrapAdmin {

    void onStart(@Observes StartupEvent event, ApiopsConfig config, UserService users) {
        ApiopsConfig.Bootstrap.Admin admin = config.bootstrap().admin();
        if (admin.username().isEmpty() || admin.password().isEmpty()) {
            return;
        }
        String username = admin.username().get();
        if (!users.createFirstAdmin(username, admin.password().get())) {
            return;
        }
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            Log.warnf("Dev mode: created the administrator '%s' with the dev password from application.properties; "
                    + "never use it outside dev mode", username);
        } else {
            Log.infof("Created the first administrator '%s' from apiops.bootstrap.admin", username);
        }
    }
}
