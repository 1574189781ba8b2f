/**
 * Turning human corrections into evaluation cases: {@link dev.bridle.eval.correction.Corrections}
 * finds the approvals a person edited or rejected in a store's runs and makes a suite case of each
 * (tagged {@code correction}); {@link dev.bridle.eval.correction.CorrectionsFile} appends them to a
 * suite file without duplicating a case exported before. {@code bridle eval export-corrections} is
 * the command line for both.
 */
package dev.bridle.eval.correction;
