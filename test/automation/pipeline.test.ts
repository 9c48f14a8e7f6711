import { expect } from "chai";
import * as path from "path";
import { Pipeline, PipelineArgs, UsageError } from "../../automation/pipeline";
import { DEPLOY_ORDER, ResourceStep } from "../../automation/runner";
import { FakeRunner, ScriptedApprover, approveEverything, auto, yes } from "./fakes";

const ROOT = "/repo";
const TD = "urn:pulumi:prod::tila-platform::tila:compute:MicroserviceService$aws:ecs/taskDefinition:TaskDefinition::prod-checkout-task";
const SVC = "urn:pulumi:prod::tila-platform::tila:compute:MicroserviceService$aws:ecs/service:Service::prod-checkout-service";
const OTHER = "urn:pulumi:prod::tila-platform::tila:compute:MicroserviceService$aws:ecs/service:Service::prod-catalog-service";
const STACK_URN = "urn:pulumi:prod::tila-platform::pulumi:pulumi:Stack::tila-platform-prod";

function setup(approver = approveEverything(), extra: Partial<PipelineArgs> = {}): { runner: FakeRunner; approver: ScriptedApprover; pipeline: Pipeline } {
  const runner = new FakeRunner();
  return { runner, approver, pipeline: new Pipeline({ runner, approver, projectDir: ROOT, ...extra }) };
}

async function usageError(run: () => Promise<unknown>): Promise<UsageError> {
  try {
    await run();
  } catch (e) {
    expect(e).to.be.instanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error("expected a UsageError");
}

const step = (urn: string, op: string): ResourceStep => ({ urn, op, type: urn.split("::")[2]!.split("$").pop()! });

describe("Pipeline.previewAll (merge-request job)", () => {
  it("previews every stack, management first and prod last, and applies nothing", async () => {
    const { runner, pipeline } = setup();
    const r = await pipeline.previewAll();
    expect(runner.sequence).to.deep.equal(DEPLOY_ORDER.map((s) => `preview ${s}`));
    expect(r.ok).to.equal(true);
    expect(r.done).to.deep.equal([...DEPLOY_ORDER]);
  });

  it("runs the policy pack with each stack's own enforcement config", async () => {
    const { runner, pipeline } = setup();
    await pipeline.previewAll();
    for (const c of runner.calls) {
      expect(c.opts.policyPack, c.stack).to.equal(path.join(ROOT, "policy"));
      expect(c.opts.policyPackConfig, c.stack).to.equal(path.join(ROOT, "policy", "config", `${c.stack}.json`));
    }
  });

  it("puts the named stacks in deployment order", async () => {
    const { runner, pipeline } = setup();
    await pipeline.previewAll(["prod", "dev"]);
    expect(runner.sequence).to.deep.equal(["preview dev", "preview prod"]);
  });

  it("still previews the other stacks when one fails, and reports failure", async () => {
    const { runner, pipeline } = setup();
    runner.failing.add("preview:dev");
    const r = await pipeline.previewAll();
    expect(runner.sequence).to.have.length(5);
    expect(r.ok).to.equal(false);
    expect(r.steps.find((s) => s.stack === "dev")?.status).to.equal("failed");
  });

  it("rejects an unknown stack before previewing anything", async () => {
    const { runner, pipeline } = setup();
    await usageError(() => pipeline.previewAll(["dev", "qa"]));
    expect(runner.calls).to.deep.equal([]);
  });
});

describe("Pipeline.promote", () => {
  it("previews, approves and applies each stack in order from dev to prod, leaving management alone", async () => {
    const { runner, approver, pipeline } = setup();
    const r = await pipeline.promote({ from: "dev", to: "prod" });
    expect(runner.sequence).to.deep.equal(["dev", "stage", "preprod", "prod"].flatMap((s) => [`preview ${s}`, `up ${s}`]));
    expect(approver.requests.map((q) => q.stack)).to.deep.equal(["dev", "stage", "preprod", "prod"]);
    expect(r.ok).to.equal(true);
    expect(r.done).to.deep.equal(["dev", "stage", "preprod", "prod"]);
  });

  it("starts with management when the range starts there", async () => {
    const { runner, pipeline } = setup();
    await pipeline.promote({ from: "management", to: "dev" });
    expect(runner.sequence).to.deep.equal(["preview management", "up management", "preview dev", "up dev"]);
  });

  it("rejects a range that runs backwards and runs nothing", async () => {
    const { runner, pipeline } = setup();
    const e = await usageError(() => pipeline.promote({ from: "prod", to: "dev" }));
    expect(e.message).to.match(/prod to dev/);
    expect(runner.calls).to.deep.equal([]);
  });

  it("applies exactly the update plan its preview saved, one plan file per stack", async () => {
    const { runner, pipeline } = setup(approveEverything(), { planDir: "/plans" });
    await pipeline.promote({ from: "dev", to: "stage" });
    for (const stack of ["dev", "stage"]) {
      const [preview, up] = runner.calls.filter((c) => c.stack === stack);
      expect(preview!.op).to.equal("preview");
      expect(preview!.opts.plan).to.equal(`/plans/${stack}.promote.plan.json`);
      expect(up!.opts.plan).to.equal(preview!.opts.plan);
    }
  });

  it("passes the policy pack and the stack's config on every preview and every up", async () => {
    const { runner, pipeline } = setup();
    await pipeline.promote({ from: "management", to: "prod" });
    expect(runner.calls).to.have.length(10);
    for (const c of runner.calls) {
      expect(c.opts.policyPack, `${c.op} ${c.stack}`).to.equal(path.join(ROOT, "policy"));
      expect(c.opts.policyPackConfig, `${c.op} ${c.stack}`).to.equal(path.join(ROOT, "policy", "config", `${c.stack}.json`));
    }
  });

  it("asks for approval with the previewed changes and the plan file", async () => {
    const { runner, approver, pipeline } = setup();
    runner.previews.dev = { changes: { same: 3, create: 2 } };
    await pipeline.promote({ from: "dev", to: "dev" });
    expect(approver.requests).to.deep.equal([{ stack: "dev", action: "promote", changes: { same: 3, create: 2 }, planFile: path.join(ROOT, "out", "deploy", "dev.promote.plan.json") }]);
  });

  it("stops at a refusal: the refused stack is not applied and later stacks never run", async () => {
    const { runner, pipeline } = setup(new ScriptedApprover({ dev: yes(), stage: { approved: false, reason: "not today" } }));
    const r = await pipeline.promote({ from: "dev", to: "prod" });
    expect(runner.sequence).to.deep.equal(["preview dev", "up dev", "preview stage"]);
    expect(r.ok).to.equal(false);
    expect(r.done).to.deep.equal(["dev"]);
    expect(r.steps[1]).to.include({ stack: "stage", status: "refused", detail: "not today" });
    expect(r.notRun).to.deep.equal(["preprod", "prod"]);
  });

  it("never accepts an automatic approval for prod", async () => {
    const { runner, pipeline } = setup(new ScriptedApprover({ preprod: auto, prod: auto }));
    const r = await pipeline.promote({ from: "preprod", to: "prod" });
    expect(runner.sequence).to.deep.equal(["preview preprod", "up preprod", "preview prod"]);
    expect(r.steps[1]).to.include({ stack: "prod", status: "refused" });
    expect(r.ok).to.equal(false);
  });

  it("stops at the first failed up and reports which stacks were done", async () => {
    const { runner, pipeline } = setup();
    runner.failing.add("up:stage");
    const r = await pipeline.promote({ from: "dev", to: "prod" });
    expect(runner.sequence).to.deep.equal(["preview dev", "up dev", "preview stage", "up stage"]);
    expect(r.done).to.deep.equal(["dev"]);
    expect(r.steps[1]).to.include({ stack: "stage", status: "failed" });
    expect(r.notRun).to.deep.equal(["preprod", "prod"]);
  });

  it("does not ask for approval when the preview fails", async () => {
    const { runner, approver, pipeline } = setup();
    runner.failing.add("preview:dev");
    const r = await pipeline.promote({ from: "dev", to: "stage" });
    expect(approver.requests).to.deep.equal([]);
    expect(r.notRun).to.deep.equal(["stage"]);
  });

  it("skips approval and up for a stack with nothing to change, and carries on", async () => {
    const { runner, approver, pipeline } = setup();
    runner.previews.dev = { changes: { same: 40 } };
    const r = await pipeline.promote({ from: "dev", to: "stage" });
    expect(runner.sequence).to.deep.equal(["preview dev", "preview stage", "up stage"]);
    expect(approver.requests.map((q) => q.stack)).to.deep.equal(["stage"]);
    expect(r.steps[0]).to.include({ stack: "dev", status: "unchanged" });
    expect(r.ok).to.equal(true);
  });
});

describe("Pipeline.hotfix", () => {
  const fixSteps = [step(STACK_URN, "update"), step(TD, "replace"), step(SVC, "update"), step(OTHER, "same")];

  it("previews and applies only the service's task definition and ECS service, with dependents", async () => {
    const { runner, pipeline } = setup();
    runner.previews.prod = { changes: { same: 200, replace: 1, update: 2 }, steps: fixSteps };
    const r = await pipeline.hotfix({ stack: "prod", service: "checkout", urns: [TD, SVC] });
    expect(runner.sequence).to.deep.equal(["preview prod", "up prod"]);
    for (const c of runner.calls) {
      expect(c.opts.target, c.op).to.deep.equal([TD, SVC]);
      expect(c.opts.targetDependents, c.op).to.equal(true);
      expect(c.opts.policyPackConfig, c.op).to.equal(path.join(ROOT, "policy", "config", "prod.json"));
    }
    expect(runner.calls[1]!.opts.plan).to.equal(runner.calls[0]!.opts.plan).and.match(/prod\.hotfix\.plan\.json$/);
    expect(r.ok).to.equal(true);
    expect(r.steps[0]!.detail).to.match(/converged --stack prod/);
  });

  it("rejects a --urn that is neither a task definition nor an ECS service", async () => {
    const { runner, pipeline } = setup();
    await usageError(() => pipeline.hotfix({ stack: "prod", service: "checkout", urns: [TD, STACK_URN] }));
    expect(runner.calls).to.deep.equal([]);
  });

  it("resolves the targets from the service name when no URNs are given", async () => {
    const asked: string[] = [];
    const { runner, pipeline } = setup(approveEverything(), {
      resolveHotfixTargets: async (stack, service) => {
        asked.push(`${stack}/${service}`);
        return [TD, SVC];
      },
    });
    runner.previews.prod = { changes: { update: 1 }, steps: [step(SVC, "update")] };
    await pipeline.hotfix({ stack: "prod", service: "checkout" });
    expect(asked).to.deep.equal(["prod/checkout"]);
    expect(runner.calls[0]!.opts.target).to.deep.equal([TD, SVC]);
  });

  it("fails without touching the stack when the service's targets cannot be resolved", async () => {
    const { runner, pipeline } = setup(approveEverything(), { resolveHotfixTargets: async () => Promise.reject(new Error("no service nope")) });
    const r = await pipeline.hotfix({ stack: "prod", service: "nope" });
    expect(runner.calls).to.deep.equal([]);
    expect(r.ok).to.equal(false);
    expect(r.steps[0]!.detail).to.match(/no service nope/);
  });

  it("refuses, without asking for approval, when the preview changes a resource outside the targets", async () => {
    const { runner, approver, pipeline } = setup();
    runner.previews.prod = { changes: { update: 2 }, steps: [step(SVC, "update"), step(OTHER, "update")] };
    const r = await pipeline.hotfix({ stack: "prod", service: "checkout", urns: [TD, SVC] });
    expect(runner.sequence).to.deep.equal(["preview prod"]);
    expect(approver.requests).to.deep.equal([]);
    expect(r.steps[0]).to.include({ status: "refused" });
    expect(r.steps[0]!.detail).to.include(OTHER);
  });

  for (const [what, s] of [
    ["a replacement of the ECS service", step(SVC, "replace")],
    ["a delete of a target", step(TD, "delete")],
  ] as const) {
    it(`refuses ${what}`, async () => {
      const { runner, pipeline } = setup();
      runner.previews.prod = { changes: { [s.op]: 1 }, steps: [s] };
      const r = await pipeline.hotfix({ stack: "prod", service: "checkout", urns: [TD, SVC] });
      expect(runner.sequence).to.deep.equal(["preview prod"]);
      expect(r.steps[0]).to.include({ status: "refused" });
    });
  }

  it("needs an approval: a refusal applies nothing", async () => {
    const { runner, pipeline } = setup(new ScriptedApprover({}));
    runner.previews.prod = { changes: { update: 1 }, steps: [step(SVC, "update")] };
    const r = await pipeline.hotfix({ stack: "prod", service: "checkout", urns: [TD, SVC] });
    expect(runner.sequence).to.deep.equal(["preview prod"]);
    expect(r.ok).to.equal(false);
  });

  it("never accepts an automatic approval for a prod hot fix", async () => {
    const { runner, pipeline } = setup(new ScriptedApprover({ prod: auto }));
    runner.previews.prod = { changes: { update: 1 }, steps: [step(SVC, "update")] };
    const r = await pipeline.hotfix({ stack: "prod", service: "checkout", urns: [TD, SVC] });
    expect(runner.sequence).to.deep.equal(["preview prod"]);
    expect(r.steps[0]).to.include({ status: "refused" });
  });
});

describe("Pipeline.checkConverged", () => {
  it("previews with --expect-no-changes and the policy pack, and passes when nothing changes", async () => {
    const { runner, pipeline } = setup();
    runner.previews.prod = { changes: { same: 300 } };
    const r = await pipeline.checkConverged("prod");
    expect(runner.sequence).to.deep.equal(["preview prod"]);
    expect(runner.calls[0]!.opts).to.include({ expectNoChanges: true, refresh: true, policyPack: path.join(ROOT, "policy") });
    expect(r.ok).to.equal(true);
    expect(r.steps[0]!.status).to.equal("converged");
  });

  it("fails when the stack would still change", async () => {
    const { runner, pipeline } = setup();
    runner.previews.prod = { changes: { same: 300, update: 1 } };
    const r = await pipeline.checkConverged("prod");
    expect(r.ok).to.equal(false);
    expect(r.steps[0]!.detail).to.match(/not converged: update 1/);
  });

  it("fails when the CLI rejects the preview (expect-no-changes makes it exit non-zero)", async () => {
    const { runner, pipeline } = setup();
    runner.failing.add("preview:prod");
    expect((await pipeline.checkConverged("prod")).ok).to.equal(false);
  });
});

describe("Pipeline.destroy", () => {
  it("destroys in reverse order, management last, when every stack is confirmed", async () => {
    const { runner, pipeline } = setup();
    const r = await pipeline.destroy({ stacks: ["management", "dev", "stage"], confirm: ["stage", "management", "dev"] });
    expect(runner.sequence).to.deep.equal(["destroy stage", "destroy dev", "destroy management"]);
    expect(r.ok).to.equal(true);
  });

  it("refuses everything when one stack is not confirmed", async () => {
    const { runner, pipeline } = setup();
    const r = await pipeline.destroy({ stacks: ["dev", "stage"], confirm: ["dev"] });
    expect(runner.calls).to.deep.equal([]);
    expect(r.ok).to.equal(false);
    expect(r.steps[0]!.detail).to.match(/destroy stage needs --confirm stage/);
  });

  it("refuses a confirmation of a stack that is not being destroyed", async () => {
    const { runner, pipeline } = setup();
    const r = await pipeline.destroy({ stacks: ["dev"], confirm: ["dev", "stage"] });
    expect(runner.calls).to.deep.equal([]);
    expect(r.ok).to.equal(false);
  });

  it("never destroys prod without --allow-prod, even when confirmed", async () => {
    const { runner, pipeline } = setup();
    const refused = await pipeline.destroy({ stacks: ["prod"], confirm: ["prod"] });
    expect(runner.calls).to.deep.equal([]);
    expect(refused.steps[0]!.detail).to.match(/--allow-prod/);
    const allowed = await pipeline.destroy({ stacks: ["prod"], confirm: ["prod"], allowProd: true });
    expect(runner.sequence).to.deep.equal(["destroy prod"]);
    expect(allowed.ok).to.equal(true);
  });

  it("stops at the first failed destroy", async () => {
    const { runner, pipeline } = setup();
    runner.failing.add("destroy:stage");
    const r = await pipeline.destroy({ stacks: ["dev", "stage"], confirm: ["dev", "stage"] });
    expect(runner.sequence).to.deep.equal(["destroy stage"]);
    expect(r.notRun).to.deep.equal(["dev"]);
  });
});
