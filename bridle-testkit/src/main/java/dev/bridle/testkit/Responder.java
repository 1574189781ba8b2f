package dev.bridle.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides the fake model's answer from the parsed chat completion request body. Called concurrently
 * from many requests: implementations should derive the answer from the request (see {@link
 * Conversation}) rather than from mutable state. {@link Responders} has the common ones.
 */
@FunctionalInterface
public interface Responder {

  FakeReply respond(JsonNode requestBody);
}
