package io.apiops.keys;

import java.security.Security;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ImageMode;

/**
 * Puts the Amazon Corretto Crypto Provider (AWS-LC, the native cryptography of AWS's own services) first among the
 * JCA providers, so that the RS256 signature of every token, SHA-256 and the secure random source run in AWS-LC's
 * assembly rather than in Java: a 2048-bit RSA signature costs about a quarter of the JDK's.
 * <p>
 * Where the provider's native library cannot load (another CPU architecture or C library), the service says so once
 * and goes on with the JDK's own providers: slower, never different in what it accepts. A native executable always
 * uses its own built-in providers: the provider's JNI library is not part of the native build.
 */
final class NativeCrypto {

    /** Guarded by the class: {@link #install} is synchronized. */
    private static boolean checked;

    private NativeCrypto() {
    }

    /** Installs the provider once, before any key is read; true when AWS-LC serves the signatures. */
    static synchronized boolean install() {
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            return false;
        }
        AmazonCorrettoCryptoProvider provider;
        try {
            provider = AmazonCorrettoCryptoProvider.INSTANCE;
        } catch (LinkageError e) {
            return unavailable(e);
        }
        if (provider.getLoadingError() != null) {
            return unavailable(provider.getLoadingError());
        }
        if (!checked) {
            checked = true;
            if (Security.getProvider(provider.getName()) == null) {
                AmazonCorrettoCryptoProvider.install();
            }
            Log.debugf("Cryptography by %s", provider.getInfo());
        }
        return true;
    }

    private static boolean unavailable(Throwable cause) {
        if (!checked) {
            checked = true;
            Log.infof("The native cryptography provider is not available here (%s); signing with the JDK's own",
                    cause.getClass().getSimpleName());
        }
        return false;
    }
}
