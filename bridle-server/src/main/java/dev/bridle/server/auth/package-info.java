/**
 * API tokens and roles: {@link dev.bridle.server.auth.TokenStore} (in memory, or JDBC over the run
 * store's database), {@link dev.bridle.server.auth.Role}. Tokens are {@code brl_} and 32 random
 * bytes; only their SHA-256 hash is stored.
 */
package dev.bridle.server.auth;
