/**
 * The τ-bench retail approval benchmark ({@link dev.bridle.benchmarks.taubench.TauBench}): the
 * retail dev (20) and train (500) tasks of τ-bench, read at run time from {@code
 * ../shared/benchmarks/taubench-dev}, run through real Bridle agents. The store's sixteen tools
 * ({@code RetailTools}) work on a run's own copy-on-write view of the JSON tables ({@code
 * RetailDatabase}, {@code RetailOperations}); the policy ({@code RetailPolicy}) allows the tools
 * that change nothing and asks a human before each of the seven that change an order or a user; a
 * scripted model ({@code TaskScript}) looks up the customer and the orders, then plays the task's
 * ground-truth calls; a simulated customer approves or rejects every change through the real
 * approvals inbox ({@code TaskRunner}). Each run is scored against upstream's oracle ({@code
 * TaskResult}): the records it changed, the output of every ground-truth call and the approvals it
 * asked. Results and their reading: {@code docs/benchmarks.md}.
 */
package dev.bridle.benchmarks.taubench;
