import { expect } from "chai";
import * as path from "path";
import { isConfigValidationError } from "../../config/errors";
import { OfflineEngine, StackReferenceError, StackRun, runStack, runStacks } from "../../offline/engine";
import type { CapturedResource } from "../../offline/types";

const PROJECT = path.resolve(__dirname, "../fixtures/program");
const fixture = (file: string): string => path.join(PROJECT, file);
const ALL = ["management", "dev", "stage", "preprod", "prod"];

function ofType(run: StackRun, type: string): CapturedResource[] {
  return run.resources.filter((r) => r.type === type);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the run to fail");
}

describe("offline engine", () => {
  const runs: Record<string, StackRun> = {};

  before(async () => {
    const outcomes = await runStacks(ALL, { projectDir: PROJECT });
    for (const o of outcomes) {
      if (!o.ok) throw o.error;
      runs[o.stack] = o.run;
    }
  });

  describe("StackReferences", () => {
    it("resolve to the referenced stack's real offline outputs", () => {
      const management = runs.management.outputs;
      for (const env of ["dev", "stage", "preprod", "prod"]) {
        const out = runs[env].outputs;
        expect(out.transitGatewayId, env).to.equal(management.transitGatewayId);
        expect(out.managementVpcId, env).to.equal(management.vpcId);
        expect(out.managementAccountId, env).to.equal(management.accountId);
      }
    });

    it("carry the whole outputs object of the producer into the consumer's graph", () => {
      const [ref] = ofType(runs.dev, "pulumi:pulumi:StackReference");
      expect(ref.id).to.equal("tila/tila-platform/management");
      expect(ref.outputs.outputs).to.deep.equal(runs.management.outputs);
    });

    it("wire the producer's resource ids into the consumer's resources", () => {
      const [tgw] = ofType(runs.management, "aws:ec2transitgateway/transitGateway:TransitGateway");
      const [attachment] = ofType(runs.prod, "aws:ec2transitgateway/vpcAttachment:VpcAttachment");
      expect(tgw.id).to.match(/^tgw-[0-9a-f]{17}$/);
      expect(attachment.inputs.transitGatewayId).to.equal(tgw.id);
    });

    it("run management first even when only an environment is asked for", async () => {
      const engine = new OfflineEngine({ projectDir: PROJECT });
      const dev = await engine.run("dev");
      expect(engine.result("management")?.outputs).to.deep.equal(runs.management.outputs);
      expect(dev.outputs.transitGatewayId).to.equal(runs.management.outputs.transitGatewayId);
    });

    it("discover a reference whose name is built in code, run that stack and retry", async () => {
      const engine = new OfflineEngine({ projectDir: PROJECT, configFiles: { dev: fixture("variants/dev-ref-in-code.yaml") } });
      const dev = await engine.run("dev");
      expect(dev.outputs.managementVpcId).to.equal(runs.management.outputs.vpcId);
      expect(engine.result("management"), "management ran because dev referenced it").to.not.equal(undefined);
    });

    it("fail clearly when the config names a stack the project does not have", async () => {
      const err = await rejection(runStack("dev", { projectDir: PROJECT, configFiles: { dev: fixture("invalid/dev-unknown-stack.yaml") } }));
      expect(err).to.be.instanceOf(StackReferenceError);
      expect((err as Error).message).to.contain('"hub"').and.to.contain("management, dev, stage, preprod, prod");
    });

    it("fail clearly when a reference points into another project", async () => {
      const err = await rejection(runStack("dev", { projectDir: PROJECT, configFiles: { dev: fixture("invalid/dev-other-project.yaml") } }));
      expect(err).to.be.instanceOf(StackReferenceError);
      expect((err as Error).message).to.contain('project "other-project"');
    });

    it("fail a consumer whose producer failed, repeating the producer's errors", async () => {
      const outcomes = await runStacks(["management", "dev"], { projectDir: PROJECT, configFiles: { management: fixture("invalid/management.yaml") } });
      expect(outcomes.map((o) => o.ok)).to.deep.equal([false, false]);
      const devError = (outcomes[1] as { error: Error }).error;
      expect(devError).to.be.instanceOf(StackReferenceError);
      expect(devError.message).to.contain('needs the outputs of "management"').and.to.contain("tila-platform:vpcCidr");
    });
  });

  describe("isolation between runs in one process", () => {
    it("gives every resource the URN of its own stack", () => {
      for (const stack of ALL) {
        const foreign = runs[stack].resources.filter((r) => !r.urn.startsWith(`urn:pulumi:${stack}::tila-platform::`));
        expect(foreign.map((r) => r.urn), stack).to.deep.equal([]);
        expect(runs[stack].resources[0].name).to.equal(`tila-platform-${stack}`);
      }
    });

    it("keeps each stack's own config and ids", () => {
      const cidrs = ALL.map((s) => ofType(runs[s], "aws:ec2/vpc:Vpc")[0].inputs.cidrBlock);
      expect(cidrs).to.deep.equal(["10.0.0.0/16", "10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16", "10.40.0.0/16"]);
      const ids = ALL.flatMap((s) => runs[s].resources.map((r) => r.id).filter((id) => id !== undefined && !id.includes("/")));
      expect(new Set(ids).size).to.equal(ids.length);
    });

    it("builds the program afresh on every run (a sixth and seventh run match the first)", async () => {
      const again = await runStacks(["dev", "management"], { projectDir: PROJECT });
      for (const o of again) {
        if (!o.ok) throw o.error;
        expect(o.run.resources.map((r) => r.urn)).to.deep.equal(runs[o.stack].resources.map((r) => r.urn));
        expect(o.run.outputs).to.deep.equal(runs[o.stack].outputs);
      }
    });
  });

  describe("config", () => {
    it("keeps a referenced stack's secret output secret on the consuming side", () => {
      expect(runs.management.secretOutputs).to.include("hubToken");
      expect(runs.dev.outputs.managementHubToken).to.equal("hub-token");
      expect(runs.dev.secretOutputs).to.include("managementHubToken");
      expect(runs.dev.secretOutputs).to.not.include("managementAccountId");
    });

    it("hands secure values to the program as secret placeholders", () => {
      expect(runs.dev.outputs.apiToken).to.equal("offline-placeholder:tila-platform:apiToken");
      expect(runs.dev.secretOutputs).to.include("apiToken");
      expect(runs.dev.config.secretKeys).to.deep.equal(["tila-platform:apiToken"]);
    });

    it("applies project defaults from Pulumi.yaml", () => {
      const [vpc] = ofType(runs.stage, "aws:ec2/vpc:Vpc");
      expect((vpc.inputs.tags as Record<string, string>).Owner).to.equal("platform-team");
    });

    it("surfaces the program's ConfigValidationError with every issue", async () => {
      const err = await rejection(runStack("dev", { projectDir: PROJECT, configFiles: { dev: fixture("invalid/dev.yaml") } }));
      expect(isConfigValidationError(err)).to.equal(true);
      const issues = isConfigValidationError(err) ? err.issues.map((i) => i.path) : [];
      expect(issues).to.deep.equal(["tila-platform:vpcCidr", "tila-platform:azCount", "tila-platform:managementStack"]);
    });
  });

  it("fails a run that leaves a promise rejection unhandled, as the Pulumi language host does", async () => {
    const err = await rejection(runStack("dev", { projectDir: PROJECT, configFiles: { dev: fixture("variants/dev-stray-rejection.yaml") } }));
    expect((err as Error).message).to.match(/unhandled.*a promise nobody awaited rejected/);
  });

  it("runs another program when programPath is given", async () => {
    const run = await runStack("management", { projectDir: PROJECT, programPath: fixture("alt.ts") });
    expect(run.outputs.program).to.equal("alt");
    expect(run.resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack", "aws:s3/bucket:Bucket"]);
    expect(run.outputs.bucketArn).to.match(/^arn:aws:s3:::alt-bucket-[0-9a-f]{7}$/);
  });

  it("runs a warm stack quickly", async () => {
    const run = await runStack("management", { projectDir: PROJECT });
    expect(run.resources.length).to.equal(runs.management.resources.length);
    expect(run.durationMs).to.be.below(2000);
  });
});
