/**
 * The deployment sequence (DESIGN §4, §8): the evidence that moves a workflow through {@link
 * dev.bridle.core.policy.Mode#SHADOW shadow} → propose → supervised → autonomous, and the audited
 * operator action that changes its mode.
 *
 * <ul>
 *   <li>{@link dev.bridle.core.deploy.DeploymentEvidence}: where the evidence that is not in the
 *       journals is kept (humans' decisions for shadow runs, feedback, suite results, mode
 *       changes); in memory here, in the database in {@code bridle-store}.
 *   <li>{@link dev.bridle.core.deploy.Agreement}, {@link dev.bridle.core.deploy.ApprovalStreak},
 *       {@link dev.bridle.core.deploy.Readiness}: pure arithmetic over that evidence and the
 *       journals' facts ({@link dev.bridle.core.deploy.RunFacts}).
 *   <li>{@link dev.bridle.core.deploy.Deployment}: the one entry point the CLI and the API use.
 * </ul>
 *
 * <p>The rule tables are in {@code docs/deployment.md}.
 */
package dev.bridle.core.deploy;
