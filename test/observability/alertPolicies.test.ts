import { expect } from "chai";
import { alertKeyPolicy, alertTopicArn, alertTopicPolicy } from "../../components/observability/alertPolicies";

const scope = { partition: "aws", region: "me-south-1", accountId: "444444444444" };
const topic = alertTopicArn(scope, "prod", "critical");
type Stmt = { Sid: string; Effect: string; Principal: unknown; Action: unknown; Condition?: Record<string, Record<string, unknown>> };
const sid = (doc: { Statement: Record<string, unknown>[] }, s: string): Stmt => {
  const found = doc.Statement.find((x) => x.Sid === s);
  if (!found) throw new Error(`no statement ${s}`);
  return found as unknown as Stmt;
};

describe("alert topic and key policies", () => {
  it("names the topic so its ARN is known before it exists", () => {
    expect(topic).to.equal("arn:aws:sns:me-south-1:444444444444:tila-prod-alerts-critical");
  });

  it("lets CloudWatch alarms publish only for this account's alarms", () => {
    const s = sid(alertTopicPolicy(scope, topic), "CloudWatchAlarmsPublish");
    expect(s.Principal).to.deep.equal({ Service: "cloudwatch.amazonaws.com" });
    expect(s.Action).to.equal("sns:Publish");
    expect(s.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": "444444444444" }, ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:me-south-1:444444444444:alarm:*" } });
  });

  it("lets Amazon Managed Prometheus publish and read the topic, only from this account's workspaces", () => {
    const s = sid(alertTopicPolicy(scope, topic), "PrometheusPublish");
    expect(s.Principal).to.deep.equal({ Service: "aps.amazonaws.com" });
    expect(s.Action).to.deep.equal(["sns:Publish", "sns:GetTopicAttributes"]);
    expect(s.Condition!.ArnLike).to.deep.equal({ "aws:SourceArn": "arn:aws:aps:me-south-1:444444444444:workspace/*" });
  });

  it("denies publishing without TLS", () => {
    const s = sid(alertTopicPolicy(scope, topic), "TlsOnly");
    expect(s).to.deep.include({ Effect: "Deny", Principal: "*", Action: "sns:Publish" });
    expect(s.Condition).to.deep.equal({ Bool: { "aws:SecureTransport": "false" } });
  });

  it("lets both publishers use the key for this account only, and the account administer it", () => {
    const k = alertKeyPolicy(scope);
    for (const [name, service] of [["CloudWatchAlarmsEncrypt", "cloudwatch.amazonaws.com"], ["PrometheusEncrypt", "aps.amazonaws.com"]]) {
      const s = sid(k, name!);
      expect(s.Principal).to.deep.equal({ Service: service });
      expect(s.Action).to.deep.equal(["kms:GenerateDataKey*", "kms:Decrypt"]);
      expect(s.Condition!.StringEquals).to.deep.equal({ "aws:SourceAccount": "444444444444" });
    }
    expect(sid(k, "AccountAdministers").Principal).to.deep.equal({ AWS: "arn:aws:iam::444444444444:root" });
    expect(k.Statement).to.have.length(3);
  });
});
