import { expect } from "chai";
import fc from "fast-check";
import type { StackRun } from "../../offline/engine";
import { isAscii } from "../../offline/outDir";
import { canonicalOrder, planFiles, resourcesFile } from "../../offline/planFiles";
import type { PlanResult } from "../../offline/plan";

const r = (type: string, name: string, parentChain = ""): { urn: string; type: string } => ({
  urn: `urn:pulumi:prod::tila-platform::${parentChain}${type}::${name}`,
  type,
});

describe("the order resources.json lists resources in (canonicalOrder)", () => {
  const stack = r("pulumi:pulumi:Stack", "tila-platform-prod");
  const vpc = r("aws:ec2/vpc:Vpc", "prod-vpc", "tila:network:EnvironmentNetwork$");
  const net = r("tila:network:EnvironmentNetwork", "prod");
  const alarm = r("aws:cloudwatch/metricAlarm:MetricAlarm", "prod-nat-0", "tila:observability:ObservabilityStack$");

  it("puts the root stack first, then every resource by URN, leaving the input as it was", () => {
    const input = [vpc, alarm, stack, net];
    expect(canonicalOrder(input)).to.deep.equal([stack, vpc, net, alarm]);
    expect(input).to.deep.equal([vpc, alarm, stack, net]);
  });

  it("writes the same order whatever order the resources registered in", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([stack, vpc, net, alarm], { minLength: 4, maxLength: 4 }), (shuffled) => {
        expect(canonicalOrder(shuffled)).to.deep.equal(canonicalOrder([stack, vpc, net, alarm]));
      }),
    );
  });
});

describe("resources.json made once per run (resourcesFile)", () => {
  const run = (stack: string, tag: string): StackRun =>
    ({
      stack,
      resources: [{ urn: `urn:pulumi:${stack}::tila-platform::aws:s3/bucket:Bucket::b`, type: "aws:s3/bucket:Bucket", name: "b", custom: true, id: "b-1", inputs: { tags: { Name: tag } }, outputs: { tags: { Name: tag } }, secretInputs: [], options: { additionalSecretOutputs: [] } }],
      outputs: {},
      secretOutputs: [],
    }) as unknown as StackRun;

  it("is the file planFiles writes, made once, and knows whether its text is ASCII", () => {
    const plain = run("dev", "logs");
    const arabic = run("prod", "تيلا — café");
    const result = { stacks: ["dev", "prod"].map((stack) => ({ stack, ok: true, outputs: {} })), runs: { dev: plain, prod: arabic } } as unknown as PlanResult;
    const made = [resourcesFile(plain), resourcesFile(arabic)];
    expect(resourcesFile(plain), "made once").to.equal(made[0]);
    expect(made.map((f) => [f.rel, f.ascii, isAscii(f.content)])).to.deep.equal([
      ["dev/resources.json", true, true],
      ["prod/resources.json", false, false],
    ]);
    expect(made[1].content).to.contain("تيلا — café");
    const written = planFiles(result).filter((f) => f.rel.endsWith("resources.json"));
    expect(written).to.deep.equal(made);
  });
});
