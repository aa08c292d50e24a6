package io.apiops.keys;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.KeyUtils;

/**
 * The key that signs tokens and the public keys that verify them, read once at start-up from SmallRye JWT's own
 * properties ({@code smallrye.jwt.sign.key[.location]}, {@code mp.jwt.verify.publickey[.location]}), so that
 * signing a token never touches a file.
 * <p>
 * The service refuses to start when there is no signing key, or when the signing key has no public counterpart among
 * the verification keys: tokens it issued would then be refused by itself and by every gateway.
 */
@Startup
@Singleton
public class SigningKeys {

    private final SignatureAlgorithm algorithm;
    private final PrivateKey signingKey;
    private final String keyId;
    private final PublicJsonWebKey verificationKey;
    private final String jwks;
    private final Set<String> keyIds;

    public SigningKeys(Config config) {
        // before the key is read, so that it is the native provider's own key object and no signature converts it
        boolean nativeCrypto = NativeCrypto.install();
        this.algorithm = SignatureAlgorithm.fromAlgorithm(config
                .getOptionalValue("smallrye.jwt.new-token.signature-algorithm", String.class).orElse("RS256"));
        this.signingKey = readSigningKey(config, algorithm);
        List<PublicJsonWebKey> verificationKeys = readVerificationKeys(config, algorithm);
        this.verificationKey = matchingKey(signingKey, verificationKeys);
        this.keyId = verificationKey.getKeyId();
        this.keyIds = verificationKeys.stream().map(JsonWebKey::getKeyId).collect(Collectors.toUnmodifiableSet());
        this.jwks = new JsonWebKeySet(List.<JsonWebKey> copyOf(verificationKeys))
                .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        Log.infof("Signing tokens with %s key %s through %s; %d verification key(s) published",
                algorithm.getAlgorithm(), keyId, nativeCrypto ? "AWS-LC" : "the JDK's provider", verificationKeys.size());
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    public PrivateKey signingKey() {
        return signingKey;
    }

    /** The {@code kid} header of every token signed with {@link #signingKey()}. */
    public String keyId() {
        return keyId;
    }

    /** Signs a probe with the signing key and verifies it with its published counterpart; false on any failure. */
    public boolean selfTest() {
        try {
            JsonWebSignature probe = new JsonWebSignature();
            probe.setPayload("probe");
            probe.setAlgorithmHeaderValue(algorithm.getAlgorithm());
            probe.setKey(signingKey);
            JsonWebSignature check = new JsonWebSignature();
            check.setCompactSerialization(probe.getCompactSerialization());
            check.setKey(verificationKey.getPublicKey());
            return check.verifySignature();
        } catch (JoseException e) {
            return false;
        }
    }

    /** The {@code kid}s of the verification keys: a token naming any other key is not ours. */
    public boolean isPublished(String keyId) {
        return keyId != null && keyIds.contains(keyId);
    }

    /** The public verification keys as a JSON Web Key Set (RFC 7517). */
    public String jwks() {
        return jwks;
    }

    private static PrivateKey readSigningKey(Config config, SignatureAlgorithm algorithm) {
        Optional<String> inline = config.getOptionalValue("smallrye.jwt.sign.key", String.class);
        Optional<String> location = config.getOptionalValue("smallrye.jwt.sign.key.location", String.class);
        try {
            String content = location.isPresent() ? KeyUtils.readKeyContent(location.get()) : inline.orElse(null);
            if (content != null) {
                return KeyUtils.decodePrivateKey(content, algorithm);
            }
        } catch (Exception e) {
            throw new IllegalStateException("The signing key in smallrye.jwt.sign.key.location cannot be read as a "
                    + algorithm.getAlgorithm() + " private key (PKCS#8 PEM)", e);
        }
        throw new IllegalStateException("No signing key: set smallrye.jwt.sign.key.location "
                + "(SMALLRYE_JWT_SIGN_KEY_LOCATION) to a PKCS#8 PEM private key");
    }

    private static List<PublicJsonWebKey> readVerificationKeys(Config config, SignatureAlgorithm algorithm) {
        Optional<String> inline = config.getOptionalValue("mp.jwt.verify.publickey", String.class);
        Optional<String> location = config.getOptionalValue("mp.jwt.verify.publickey.location", String.class);
        try {
            String content = location.isPresent() ? KeyUtils.readKeyContent(location.get()) : inline.orElse(null);
            if (content == null) {
                throw new IllegalStateException("No verification key: set mp.jwt.verify.publickey.location "
                        + "(MP_JWT_VERIFY_PUBLICKEY_LOCATION) to a PEM public key or a JWK set");
            }
            List<PublicJsonWebKey> keys = new ArrayList<>();
            if (content.trim().startsWith("{")) {
                for (JsonWebKey jwk : KeyUtils.loadJsonWebKeys(content)) {
                    if (jwk instanceof PublicJsonWebKey publicJwk) {
                        keys.add(publish(PublicJsonWebKey.Factory.newPublicJwk(publicJwk.getPublicKey()),
                                jwk.getKeyId(), algorithm));
                    }
                }
            } else {
                PublicKey key = KeyUtils.decodePublicKey(content, algorithm);
                keys.add(publish(PublicJsonWebKey.Factory.newPublicJwk(key), null, algorithm));
            }
            if (keys.isEmpty()) {
                throw new IllegalStateException("The verification key set holds no public key");
            }
            return keys;
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("The verification key in mp.jwt.verify.publickey.location cannot be read "
                    + "as a PEM public key or a JWK set", e);
        }
    }

    /** Names a key by its RFC 7638 thumbprint unless it already has a {@code kid}. */
    private static PublicJsonWebKey publish(PublicJsonWebKey jwk, String keyId, SignatureAlgorithm algorithm)
            throws JoseException {
        jwk.setKeyId(keyId != null ? keyId : jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
        jwk.setUse("sig");
        jwk.setAlgorithm(algorithm.getAlgorithm());
        return jwk;
    }

    private static PublicJsonWebKey matchingKey(PrivateKey signingKey, List<PublicJsonWebKey> verificationKeys) {
        Optional<PublicKey> derived = publicHalf(signingKey);
        if (derived.isEmpty()) {
            // Only RSA keys reveal their public half; with one verification key, that key is the one.
            if (verificationKeys.size() == 1) {
                return verificationKeys.get(0);
            }
            throw new IllegalStateException("Cannot tell which verification key belongs to the signing key");
        }
        return verificationKeys.stream()
                .filter(jwk -> sameKey(jwk.getPublicKey(), derived.get()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "The signing key does not belong to any verification key: tokens would not verify"));
    }

    private static Optional<PublicKey> publicHalf(PrivateKey key) {
        if (key instanceof RSAPrivateCrtKey rsa) {
            try {
                RSAPublicKeySpec spec = new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent());
                return Optional.of(KeyFactory.getInstance("RSA").generatePublic(spec));
            } catch (GeneralSecurityException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean sameKey(Key a, Key b) {
        if (a instanceof RSAPublicKey x && b instanceof RSAPublicKey y) {
            return x.getModulus().equals(y.getModulus()) && x.getPublicExponent().equals(y.getPublicExponent());
        }
        return a.equals(b);
    }
}
