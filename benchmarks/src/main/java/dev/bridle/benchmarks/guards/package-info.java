/**
 * Benchmarks of the guards and limits: PII redaction throughput in MB/s over realistic text ({@link
 * dev.bridle.benchmarks.guards.PiiRedactionThroughputBenchmark}) and the agent loop's cost per step
 * with every guard and limit on ({@link dev.bridle.benchmarks.guards.GovernedLoopBenchmark}). Run
 * them with {@code benchmarks/guards.sh}; results and the machine are in {@code
 * docs/benchmarks.md}.
 */
package dev.bridle.benchmarks.guards;
