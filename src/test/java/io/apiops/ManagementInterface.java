package io.apiops;

import org.eclipse.microprofile.config.ConfigProvider;

/** The management interface of the application under test, on the random port the test profile gives it. */
public final class ManagementInterface {

    private ManagementInterface() {
    }

    /** The URL of {@code path} under the management root, {@code /q}: {@code url("/health/ready")}. */
    public static String url(String path) {
        // read on every call: each test profile restarts the application on a new port
        return ConfigProvider.getConfig().getValue("test.management.url", String.class) + path;
    }
}
