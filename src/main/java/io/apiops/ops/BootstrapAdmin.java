package io.apiops.ops;

import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

import io.apiops.config.ApiopsConfig;
import io.apiops.password.PasswordPolicy;
import io.apiops.user.UserService;
import io.apiops.user.ValidUsername;

/**
 * Creates the first administrator from {@code apiops.bootstrap.admin.*} when the user table is empty. Production has
 * no default: without those settings nobody is created.
 */
@Singleton
public class BootstrapAdmin {

    private final UserService users;
    private final PasswordPolicy policy;

    public BootstrapAdmin(UserService users, PasswordPolicy policy) {
        this.users = users;
        this.policy = policy;
    }

    void onStart(@Observes StartupEvent event, ApiopsConfig config) {
        create(config.bootstrap().admin(), LaunchMode.current());
    }

    /**
     * Creates the administrator, or refuses to start when its name or password breaks the rules that every account
     * meets: the service would otherwise run with a guessable administrator. The check runs even when users exist
     * already, since the configured password may still be that administrator's. Dev mode alone accepts a weak
     * password, for the administrator it seeds itself, and says so.
     *
     * @return true when the administrator was created
     */
    boolean create(ApiopsConfig.Bootstrap.Admin admin, LaunchMode mode) {
        if (admin.username().isEmpty() || admin.password().isEmpty()) {
            return false;
        }
        String username = admin.username().get();
        Optional<String> badName = ValidUsername.Check.problem(username);
        if (badName.isPresent()) {
            throw new IllegalStateException("apiops.bootstrap.admin.username " + badName.get());
        }
        Optional<String> weak = policy.problem(admin.password().get(), username);
        if (weak.isPresent()) {
            if (mode != LaunchMode.DEVELOPMENT) {
                // The message names the rule, never the password.
                throw new IllegalStateException("apiops.bootstrap.admin.password breaks the password policy: it "
                        + weak.get() + "; choose a stronger one");
            }
            Log.warnf("Dev mode: the seeded administrator's password breaks the password policy (it %s); accepted "
                    + "in dev mode only, where the policy is relaxed for this one account", weak.get());
        }
        if (!users.createFirstAdmin(username, admin.password().get())) {
            return false;
        }
        if (mode == LaunchMode.DEVELOPMENT) {
            Log.warnf("Dev mode: created the administrator '%s' with the dev password from application.properties; "
                    + "never use it outside dev mode", username);
        } else {
            Log.infof("Created the first administrator '%s' from apiops.bootstrap.admin", username);
        }
        return true;
    }
}
