/**
 * The AgentDojo containment benchmark ({@link dev.bridle.benchmarks.agentdojo.AgentDojoBenchmark}):
 * the banking and slack suites of AgentDojo v1.2.1, read at run time from {@code
 * ../shared/benchmarks/agentdojo-dev}, run through real Bridle agents. Each app ({@code
 * BankingApp}, {@code SlackApp}) declares its tools and policy as a Bridle user would; the tools
 * replay the results AgentDojo recorded with the injection placed at the canary ({@code
 * ReplayWorld}); a fully compromised scripted model ({@code CompromisedModel}) makes the user
 * task's calls and, once the injection appears, the attacker's; a simulated human answers approvals
 * through the real approvals inbox. Results and their reading: {@code docs/benchmarks.md}.
 *
 * <p>Tools are declared with one argument record per AgentDojo function, because a {@link
 * dev.bridle.core.tool.Tool} takes its JSON Schema from a record; each record is checked against
 * the suite's schema when the tool is built ({@code SchemaConformance}). A core way to build a tool
 * from a JSON Schema with {@code JsonNode} arguments would let the suites' schemas be used as they
 * are.
 */
package dev.bridle.benchmarks.agentdojo;
