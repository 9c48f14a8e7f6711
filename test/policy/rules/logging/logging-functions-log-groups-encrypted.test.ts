import { expect } from "chai";
import { loggingFunctionsLogGroupsEncrypted as rule } from "../../../../policy/rules/logging/logging-functions-log-groups-encrypted";
import { StackResourceSpec, UNKNOWN, checkStack } from "../../../../policy/testing";
import { realStack } from "../../../support/realStacks";
import { mandatoryFindings, realStackPolicy } from "../../../support/realPolicy";
import { planWeakened } from "../../../support/weaken";

const FUNCTION = "aws:lambda/function:Function";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const KEY = "arn:aws:kms:me-south-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function shipper(group: Record<string, unknown> | undefined, fnProps: Record<string, unknown> = {}): StackResourceSpec[] {
  return [
    { type: FUNCTION, name: "prod-log-shipper-function", props: { name: "tila-prod-log-shipper", ...fnProps } },
    ...(group ? [{ type: LOG_GROUP, name: "prod-log-shipper-logs", props: { name: "/aws/lambda/tila-prod-log-shipper", kmsKeyId: KEY, retentionInDays: 365, ...group } }] : []),
  ];
}

describe("logging-functions-log-groups-encrypted", () => {
  it("accepts a logging function whose default log group is declared, encrypted and retained", () => {
    expect(checkStack(rule, shipper({}))).to.deep.equal([]);
  });

  it("refuses a logging function whose log group the stack does not declare, on the function", () => {
    const out = checkStack(rule, shipper(undefined));
    expect(out.map((v) => v.message)).to.deep.equal([
      "function prod-log-shipper-function writes to /aws/lambda/tila-prod-log-shipper, which the stack does not declare: CloudWatch would create it unencrypted and never expiring",
    ]);
    expect(out[0]!.urn).to.match(/::prod-log-shipper-function$/);
    expect(checkStack(rule, shipper({ name: "/aws/lambda/tila-prod-other" }))).to.have.length(1);
  });

  it("refuses the group without a KMS key or without retention, on the group", () => {
    const out = checkStack(rule, shipper({ kmsKeyId: undefined, retentionInDays: 0 }));
    expect(out.map((v) => v.message)).to.deep.equal([
      "log group prod-log-shipper-logs of function prod-log-shipper-function is not encrypted with a KMS key (kmsKeyId)",
      "log group prod-log-shipper-logs of function prod-log-shipper-function never expires its events (retentionInDays)",
    ]);
    expect(out[0]!.urn).to.match(/::prod-log-shipper-logs$/);
  });

  it("follows loggingConfig.logGroup to a custom group", () => {
    const custom = { loggingConfig: { logFormat: "JSON", logGroup: "/tila/prod/log-shipper" } };
    expect(checkStack(rule, shipper({ name: "/tila/prod/log-shipper" }, custom))).to.deep.equal([]);
    expect(checkStack(rule, shipper({}, custom))).to.have.length(1);
  });

  it("judges Graylog's functions, leaves other functions alone and skips an unknown name", () => {
    const graylog: StackResourceSpec = { type: FUNCTION, name: "management-graylog-provisioning-provisioner", props: { name: "tila-management-graylog-provisioner" } };
    expect(checkStack(rule, [graylog])).to.have.length(1);
    expect(checkStack(rule, [{ type: FUNCTION, name: "prod-teams-function", props: { name: "tila-prod-teams-notifier" } }])).to.deep.equal([]);
    expect(checkStack(rule, [{ type: FUNCTION, name: "prod-log-shipper-function", props: { name: UNKNOWN } }])).to.deep.equal([]);
  });

  describe("on the real stacks", () => {
    it("finds the provisioner and relay in management and the shipper in prod, and no violation", async () => {
      for (const [stack, count] of [["management", 2], ["prod", 1]] as const) {
        const run = await realStack(stack);
        expect(run.resources.filter((r) => r.type === FUNCTION && /graylog|log-shipper/.test(String(r.inputs.name))), stack).to.have.length(count);
        expect((await realStackPolicy(stack)).violations.filter((v) => v.policy === rule.name), stack).to.deep.equal([]);
      }
    });

    it("fails a prod whose shipper's log group loses its key", async () => {
      const { run, hits } = await planWeakened("prod", (a) =>
        a.type === LOG_GROUP && a.name === "prod-log-shipper-logs" ? { ...a.props, kmsKeyId: undefined } : undefined);
      expect(hits).to.equal(1);
      expect(mandatoryFindings(run.resources, "prod", [rule]).map((f) => f.message)).to.deep.equal([
        "log group prod-log-shipper-logs of function prod-log-shipper-function is not encrypted with a KMS key (kmsKeyId)",
      ]);
    });
  });
});
