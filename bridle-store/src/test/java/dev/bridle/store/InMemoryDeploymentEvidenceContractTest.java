package dev.bridle.store;

import dev.bridle.core.deploy.DeploymentEvidence;
import dev.bridle.core.deploy.InMemoryDeploymentEvidence;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunStore;

/** The reference: core's in-memory store passes the same contract; its "nodes" share one store. */
class InMemoryDeploymentEvidenceContractTest extends DeploymentEvidenceContract {

  @Override
  protected RunStore openRuns() {
    return new InMemoryRunStore();
  }

  @Override
  protected DeploymentEvidence evidenceOf(RunStore runs) {
    return new InMemoryDeploymentEvidence();
  }

  @Override
  protected DeploymentEvidence anotherNode() {
    return evidence;
  }
}
