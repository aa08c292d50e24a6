package io.apiops.password;

import com.sun.jna.Native;

/**
 * The three functions of libsodium (the system's {@code libsodium.so.23}) that password hashing needs, bound through
 * JNA's direct mapping. libsodium picks its fastest argon2 code (AVX-512, AVX2, SSSE3) for the CPU at run time,
 * allocates each hash's work memory outside the Java heap and unmaps it when the hash is done.
 */
final class Libsodium {

    /** {@code crypto_pwhash_ALG_ARGON2ID13}. */
    static final int ALG_ARGON2ID13 = 2;

    /** {@code crypto_pwhash_STRBYTES}: the buffer {@code crypto_pwhash_str_alg} writes its NUL-terminated string to. */
    static final int STRBYTES = 128;

    static {
        Native.register(Libsodium.class, "sodium");
        if (sodium_init() < 0) {
            throw new IllegalStateException("libsodium failed to initialise");
        }
    }

    private Libsodium() {
    }

    /** Loads the library: a missing libsodium fails the start-up rather than the first login. */
    static void load() {
        // the static initialiser did the work
    }

    private static native int sodium_init();

    /** 0 and a NUL-terminated PHC string in {@code out}, or -1 when out of memory or the parameters are refused. */
    static native int crypto_pwhash_str_alg(byte[] out, byte[] passwd, long passwdlen, long opslimit, long memlimit,
            int alg);

    /** 0 when {@code str}, a NUL-terminated PHC string, is a hash of the password; -1 otherwise. */
    static native int crypto_pwhash_str_verify(byte[] str, byte[] passwd, long passwdlen);
}
