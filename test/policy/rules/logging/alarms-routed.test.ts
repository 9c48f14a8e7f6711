import { expect } from "chai";
import { alarmsRouted as rule } from "../../../../policy/rules/logging/alarms-routed";
import { StackResourceSpec, UNKNOWN, checkStack } from "../../../../policy/testing";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const TOPIC = "arn:aws:sns:me-south-1:444444444444:tila-prod-alerts-warning";
const PAGE = "arn:aws:sns:me-south-1:444444444444:tila-prod-alerts-critical";

const alarm = (name: string, props: Record<string, unknown> = {}): StackResourceSpec => ({ type: ALARM, name, props: { name: `tila-prod-${name}`, alarmActions: [TOPIC], ...props } });
const composite = (name: string, children: string[], props: Record<string, unknown> = {}): StackResourceSpec => ({
  type: COMPOSITE, name, props: { alarmName: `tila-prod-${name}`, alarmRule: children.map((c) => `ALARM("tila-prod-${c}")`).join(" OR "), alarmActions: [PAGE], ...props },
});
const messages = (specs: StackResourceSpec[]): string[] => checkStack(rule, specs).map((v) => v.message);

describe("alarms-routed", () => {
  it("accepts alarms and composites that notify SNS topics", () => {
    expect(messages([alarm("svc-5xx"), alarm("svc-unhealthy"), composite("svc-down", ["svc-5xx", "svc-unhealthy"])])).to.deep.equal([]);
  });

  it("accepts a metric alarm without actions when a notifying composite names it", () => {
    expect(messages([alarm("svc-5xx", { alarmActions: [] }), composite("svc-down", ["svc-5xx"])])).to.deep.equal([]);
  });

  it("refuses an alarm without actions, with actions disabled, or with only an EC2 action", () => {
    expect(messages([
      alarm("a", { alarmActions: [] }),
      alarm("b", { actionsEnabled: false }),
      alarm("c", { alarmActions: ["arn:aws:automate:me-south-1:ec2:recover"] }),
    ])).to.deep.equal([
      "metric alarm a notifies no SNS topic and no notifying composite alarm names it",
      "metric alarm b notifies no SNS topic and no notifying composite alarm names it",
      "metric alarm c notifies no SNS topic and no notifying composite alarm names it",
    ]);
  });

  it("refuses a composite without actions, and then does not count its children as routed", () => {
    expect(messages([alarm("svc-5xx", { alarmActions: [] }), composite("svc-down", ["svc-5xx"], { alarmActions: [] })])).to.deep.equal([
      "composite alarm svc-down notifies no SNS topic (alarmActions)",
      "metric alarm svc-5xx notifies no SNS topic and no notifying composite alarm names it",
    ]);
  });

  it("leaves actions unknown during preview alone", () => {
    expect(messages([alarm("a", { alarmActions: [UNKNOWN] })])).to.deep.equal([]);
  });

  it("is not applicable to a stack without alarms", () => {
    expect(messages([{ type: "aws:sns/topic:Topic", props: {} }])).to.deep.equal([]);
  });
});
