/**
 * The Bridle server (DESIGN §8): {@link dev.bridle.server.BridleServer}, a JSON HTTP API with token
 * authentication and roles, and a cluster worker, in one process. The API is documented in {@code
 * docs/api.md}.
 */
package dev.bridle.server;
