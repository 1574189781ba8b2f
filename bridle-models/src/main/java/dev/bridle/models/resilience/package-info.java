/**
 * The resilience layer between the agent loop and the provider adapters: {@link
 * dev.bridle.models.resilience.ResilientChatModel} (retries with backoff, jitter and {@code
 * Retry-After}, timeouts, a circuit breaker per provider from {@link
 * dev.bridle.models.resilience.ProviderBreakers}, all on Resilience4j) and {@link
 * dev.bridle.models.resilience.CascadeChatModel} (cheap model first, escalation on failure or a
 * rejected answer, with an {@link dev.bridle.models.resilience.Escalation} trace of what was tried
 * and what it saved).
 */
package dev.bridle.models.resilience;
