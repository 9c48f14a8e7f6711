/**
 * The delivery rules (docs/delivery.md#policy-rules-and-the-plan): the service pipelines' approval
 * gates, their encrypted artefacts and the environments' per-service deploy roles.
 */
import type { Rule } from "../types";
import { pipelineApprovalBeforeProd } from "./approvalBeforeProd";
import { pipelineArtifactsEncrypted } from "./artifactsEncrypted";
import { pipelineDeployRoleScoped } from "./deployRoleScoped";

/** Every delivery rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [pipelineApprovalBeforeProd, pipelineArtifactsEncrypted, pipelineDeployRoleScoped];
