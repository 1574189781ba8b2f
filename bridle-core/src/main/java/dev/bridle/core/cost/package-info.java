/**
 * Money and tokens: the dated {@link dev.bridle.core.cost.PriceTable price table}, the {@link
 * dev.bridle.core.cost.Cost cost} of a model's usage (unknown, never zero, when no price applies),
 * the {@link dev.bridle.core.cost.CostEstimator pre-call estimate}, and {@link
 * dev.bridle.core.cost.BudgetLedger budgets} per run, per user per month and per workflow per day
 * over a {@link dev.bridle.core.cost.SpendStore}, with soft alerts and hard limits.
 */
package dev.bridle.core.cost;
