package dev.bridle.server;

import dev.bridle.server.auth.Role;

/**
 * Who made a request: the principal and role of the token it authenticated with, directly ({@code
 * Authorization: Bearer}) or through a session cookie opened with it.
 */
record Caller(String principal, Role role, String tokenId, boolean viaSession) {}
