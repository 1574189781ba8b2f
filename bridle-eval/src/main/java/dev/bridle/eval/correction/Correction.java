package dev.bridle.eval.correction;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import java.util.Objects;

/**
 * One human correction of a run, as a suite case.
 *
 * @param caseId the case's id, derived from the run id and the approval id (so the same correction
 *     always gets the same id)
 * @param approvalId {@code <runId>/<callId>}
 * @param decision {@link Decision#EDIT} or {@link Decision#REJECT}
 * @param tool the tool of the corrected call
 * @param suiteCase the case in the suite format ({@code id}, {@code tags}, {@code description},
 *     {@code task}, {@code script}, {@code human}, {@code expect})
 */
public record Correction(
    String caseId,
    RunId runId,
    String approvalId,
    Decision decision,
    String tool,
    ObjectNode suiteCase) {

  public Correction {
    Objects.requireNonNull(caseId, "caseId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(approvalId, "approvalId");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(tool, "tool");
    suiteCase = suiteCase.deepCopy();
  }
}
