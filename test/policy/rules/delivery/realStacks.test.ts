/**
 * The delivery rules on the real captured graphs: clean as planned, and each refusing one pipeline
 * (or deploy policy) of the real graph edited in memory, so the rules are shown to bite on the
 * shapes the stacks really build, with no extra engine run.
 */
import { expect } from "chai";
import type { CapturedResource } from "../../../../offline/types";
import { pipelineApprovalBeforeProd } from "../../../../policy/rules/delivery/approvalBeforeProd";
import { pipelineArtifactsEncrypted } from "../../../../policy/rules/delivery/artifactsEncrypted";
import { pipelineDeployRoleScoped } from "../../../../policy/rules/delivery/deployRoleScoped";
import { mandatoryFindings } from "../../../support/realPolicy";
import { realStack } from "../../../support/realStacks";

const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
const RULES = [pipelineApprovalBeforeProd, pipelineArtifactsEncrypted];
type Props = Record<string, unknown>;

/** The graph with `edit` applied to the inputs and outputs of the resources `pick` selects (copies; the shared run is untouched). */
function edited(resources: readonly CapturedResource[], pick: (r: CapturedResource) => boolean, edit: (props: Props) => Props): CapturedResource[] {
  const copy = (p: Props): Props => edit(JSON.parse(JSON.stringify(p)) as Props);
  return resources.map((r) => (pick(r) ? { ...r, inputs: copy(r.inputs), outputs: copy(r.outputs) } : r));
}
const messages = (resources: readonly CapturedResource[], stack: string, rules = RULES) => mandatoryFindings(resources, stack, rules).map((f) => f.message);

describe("delivery rules on the real stacks", () => {
  let management: CapturedResource[];
  let prod: CapturedResource[];
  before(async function () {
    this.timeout(300_000);
    management = (await realStack("management")).resources;
    prod = (await realStack("prod")).resources;
  });

  it("find management's pipelines gated and encrypted", () => {
    expect(management.filter((r) => r.type === PIPELINE).length).to.be.greaterThan(1);
    expect(messages(management, "management")).to.deep.equal([]);
  });

  it("refuse a real pipeline whose prod approval stage is dropped", () => {
    const cart = (r: CapturedResource) => r.type === PIPELINE && r.inputs.name === "tila-cart";
    const out = messages(
      edited(management, cart, (p) => ({ ...p, stages: (p.stages as { name: string }[]).filter((s) => s.name !== "Approve-prod") })),
      "management",
    );
    expect(out).to.have.length(1);
    expect(out[0]).to.match(/^pipeline tila-cart: stage "Deploy-prod" deploys to prod \(action "\S+" ClusterName tila-prod\) without a Manual approval right before it/);
  });

  it("refuse a real artefact store without its key, and the artefact bucket defaulting to SSE-S3", () => {
    const cart = (r: CapturedResource) => r.type === PIPELINE && r.inputs.name === "tila-cart";
    const noKey = edited(management, cart, (p) => ({ ...p, artifactStores: (p.artifactStores as Props[]).map(({ encryptionKey: _k, ...rest }) => rest) }));
    expect(messages(noKey, "management")).to.deep.equal([
      "pipeline tila-cart: artifactStores[0] has no encryptionKey (CodePipeline then uses the AWS-managed aws/s3 key, which no other account can be granted)",
    ]);
    const sse = (r: CapturedResource) => r.type.startsWith("aws:s3/bucketServerSideEncryptionConfiguration") && String(r.inputs.bucket).startsWith("tila-delivery-artifacts-");
    expect(management.filter(sse)).to.have.length(1);
    const s3 = edited(management, sse, (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }));
    expect(messages(s3, "management")).to.have.length(1).and.satisfy((m: string[]) => m[0]!.includes("does not default to SSE-KMS"));
  });

  it("find prod's deploy roles scoped to their own service", function () {
    const roles = prod.filter((r) => r.type === "aws:iam/role:Role" && /^tila-deploy-prod-/.test(String(r.inputs.name)));
    if (roles.length === 0) this.skip();
    expect(messages(prod, "prod", [pipelineDeployRoleScoped])).to.deep.equal([]);
  });

  it("refuse a real deploy policy widened to every ECS service", function () {
    const policy = (r: CapturedResource) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === "tila-deploy-prod-cart";
    if (!prod.some(policy)) this.skip();
    const widened = edited(prod, policy, (p) => {
      const doc = JSON.parse(String(p.policy)) as { Statement: Props[] };
      doc.Statement = doc.Statement.map((st) => ((Array.isArray(st.Action) ? st.Action : [st.Action]).includes("ecs:UpdateService") ? { ...st, Resource: "*" } : st));
      return { ...p, policy: JSON.stringify(doc) };
    });
    const out = messages(widened, "prod", [pipelineDeployRoleScoped]);
    expect(out).to.have.length(1);
    expect(out[0]).to.match(/^deploy role of cart in prod \(\S+\): \S+ statement "\w+" allows ecs:UpdateService on \*; only the service's own ARN \(service\/tila-prod\/cart\) is in its scope$/);
  });
});
