/**
 * Test support for Bridle: {@link dev.bridle.testkit.FakeOpenAiServer}, a fast fake of the OpenAI
 * chat completions API that drives the real provider adapters end to end, with scripted answers
 * ({@link dev.bridle.testkit.Responders}) and injectable failures ({@link
 * dev.bridle.testkit.Fault}).
 */
package dev.bridle.testkit;
