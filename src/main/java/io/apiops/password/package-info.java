/**
 * Password hashing: argon2id from libsodium behind {@link io.apiops.password.PasswordHasher}, and the
 * {@link io.apiops.password.HashingGate} that bounds how many hashes run and wait at once, and the
 * {@link io.apiops.password.LoginTurns} that run whole logins on threads of their own from a bounded queue.
 */
package io.apiops.password;
