/**
 * Password hashing: argon2id from libsodium behind {@link io.apiops.password.PasswordHasher}, and the
 * {@link io.apiops.password.HashingGate} that bounds how many hashes run and wait at once.
 */
package io.apiops.password;
