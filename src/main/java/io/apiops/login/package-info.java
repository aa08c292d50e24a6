/**
 * {@code POST /apiops/auth/token}: request parsing (form, Basic), admission and the per-address limit of failed
 * logins. Entry point: {@link io.apiops.login.TokenResource}.
 */
package io.apiops.login;
