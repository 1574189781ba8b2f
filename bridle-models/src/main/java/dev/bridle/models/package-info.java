/**
 * Provider adapters for the model SPI of {@code dev.bridle.core.model}: {@link
 * dev.bridle.models.ChatModels#create(dev.bridle.core.model.ModelSpec)} turns a {@code ModelSpec}
 * into a {@code ChatModel} for OpenAI (and any OpenAI-compatible server), Anthropic, Ollama or
 * Gemini, all through LangChain4j and the JDK HTTP client.
 */
package dev.bridle.models;
