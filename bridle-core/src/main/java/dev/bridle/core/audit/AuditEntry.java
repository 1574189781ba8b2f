package dev.bridle.core.audit;

import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.tool.Change;
import dev.bridle.core.tool.Effect;
import java.time.Instant;

/**
 * One call with an effect, as the audit trail shows it.
 *
 * @param updatedBy the acting identity, {@code agent:<workflow>@<version>}
 * @param user who the run acted for
 * @param status {@code succeeded}, {@code failed}, {@code timed_out}, {@code in_doubt} or {@code
 *     shadowed} (recorded, not executed)
 * @param approver who approved the call, or null when policy let it run without a human
 * @param decision the approver's decision (APPROVE or EDIT), or null
 * @param change what changed, as the tool reported it, or null
 * @param revertedBy who reverted the change, or null when it stands
 */
public record AuditEntry(
    Instant at,
    RunId runId,
    String workflow,
    String updatedBy,
    String user,
    String callId,
    String toolName,
    Effect effect,
    String arguments,
    String status,
    String approver,
    RunEvent.Decision decision,
    Change change,
    String revertedBy,
    Instant revertedAt) {}
