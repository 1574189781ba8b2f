/**
 * Example workflow: decide submitted expense reports against a written policy. The {@code
 * expense-approval} tool provider ({@link dev.bridle.examples.expense.ExpenseApprovalTools}) reads
 * reports from a SQLite ledger ({@link dev.bridle.examples.expense.ExpenseLedger}) and the written
 * policy ({@link dev.bridle.examples.expense.ExpensePolicy}, a Markdown document whose tables code
 * checks), and approves, rejects or flags reports, reversibly. The workflow runs SUPERVISED: small,
 * clean reports are approved without a human; {@link
 * dev.bridle.examples.expense.ApprovalThresholdGuard} sends approvals above the threshold to a
 * manager.
 */
package dev.bridle.examples.expense;
