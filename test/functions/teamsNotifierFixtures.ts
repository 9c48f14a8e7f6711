/**
 * Fixtures for the Teams notifier's tests: SNS deliveries as Lambda receives them, carrying a
 * metric alarm and a composite alarm as CloudWatch publishes them, and the security topic's
 * EventBridge events; and a fake Teams webhook, a real HTTP server on 127.0.0.1 that answers from a
 * script and records every request.
 */
import * as http from "http";
import type { AddressInfo } from "net";

export const REGION = "me-south-1";
export const ACCOUNT = "444444444444";
export const CRITICAL_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:tila-prod-critical`;
export const SECURITY_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:tila-prod-security`;
export const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:tila/prod/teams-webhook-AbCdEf`;
/** The parts of a webhook URL that are its credential: none may ever be logged. */
export const WEBHOOK_PATH_TOKEN = "8f2d1c0b9a7e4d6f8e2a1b3c5d7e9f01";
export const WEBHOOK_SIG = "kX9sQ2vR7tYp4LmN1bZc8WdE3fGh6JkA0uIo5PqSrTu";

export function snsEvent(message: string, topicArn: string = CRITICAL_TOPIC, subject: string | null = null): Record<string, unknown> {
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: `${topicArn}:2f1e0d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
        Sns: {
          Type: "Notification",
          MessageId: "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
          TopicArn: topicArn,
          Subject: subject,
          Message: message,
          Timestamp: "2026-12-04T10:00:01.000Z",
          SignatureVersion: "1",
          MessageAttributes: {},
        },
      },
    ],
  };
}

/** A metric alarm's state change, as CloudWatch publishes it to SNS. */
export function metricAlarm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    AlarmName: "tila-prod-orders-alb-5xx",
    AlarmDescription: "5xx responses of the orders service on the public ALB above 5 %.\nRunbook: check the orders tasks' logs, then roll back the last deploy https://runbooks.tila.sa/alb-5xx",
    AWSAccountId: ACCOUNT,
    AlarmConfigurationUpdatedTimestamp: "2026-12-01T08:00:00.000+0000",
    NewStateValue: "ALARM",
    NewStateReason: "Threshold Crossed: 3 out of the last 3 datapoints [7.2 (04/12/26 09:58:00)] were greater than the threshold (5.0).",
    StateChangeTime: "2026-12-04T10:00:00.123+0000",
    Region: "Middle East (Bahrain)",
    AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:tila-prod-orders-alb-5xx`,
    OldStateValue: "OK",
    OKActions: [CRITICAL_TOPIC],
    AlarmActions: [CRITICAL_TOPIC],
    InsufficientDataActions: [],
    Trigger: {
      MetricName: "HTTPCode_Target_5XX_Count",
      Namespace: "AWS/ApplicationELB",
      StatisticType: "Statistic",
      Statistic: "SUM",
      Unit: null,
      Dimensions: [{ value: "app/tila-prod-public/0123456789abcdef", name: "LoadBalancer" }],
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: 5.0,
      TreatMissingData: "missing",
      EvaluateLowSampleCountPercentile: "",
    },
    ...overrides,
  };
}

/** A composite alarm's state change: no Trigger; AlarmRule and TriggeringChildren instead. */
export function compositeAlarm(): Record<string, unknown> {
  const child = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:tila-prod-orders-running-below-desired`;
  return {
    AlarmName: "tila-prod-orders-service-down",
    AlarmDescription: "The orders service is down. Runbook: page the on-call, check the ECS service events",
    AWSAccountId: ACCOUNT,
    NewStateValue: "ALARM",
    NewStateReason: `${child} transitioned to ALARM at Friday 04 December, 2026 09:59:00 UTC`,
    StateChangeTime: "2026-12-04T10:00:00.000+0000",
    Region: "Middle East (Bahrain)",
    AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:tila-prod-orders-service-down`,
    OldStateValue: "OK",
    OKActions: [],
    AlarmActions: [CRITICAL_TOPIC],
    InsufficientDataActions: [],
    AlarmRule: 'ALARM("tila-prod-orders-running-below-desired") OR ALARM("tila-prod-orders-unhealthy-hosts")',
    TriggeringChildren: [{ Arn: child, State: { Value: "ALARM", Timestamp: "2026-12-04T09:59:00.000+0000" } }],
  };
}

export function securityHubFinding(): Record<string, unknown> {
  return {
    version: "0",
    "detail-type": "Security Hub Findings - Imported",
    source: "aws.securityhub",
    account: ACCOUNT,
    region: REGION,
    detail: {
      findings: [
        {
          Id: `arn:aws:securityhub:${REGION}:${ACCOUNT}:subscription/aws-foundational-security-best-practices/v/1.0.0/EC2.19/finding/1f2e3d4c`,
          AwsAccountId: ACCOUNT,
          Region: REGION,
          Title: "Security groups should not allow unrestricted access to ports with high risk",
          Description: "This control checks whether unrestricted incoming traffic is accessible to high-risk ports.",
          Types: ["Software and Configuration Checks/Industry and Regulatory Standards"],
          Severity: { Label: "CRITICAL", Normalized: 90 },
          Resources: [{ Type: "AwsEc2SecurityGroup", Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0123456789abcdef0` }],
          Remediation: { Recommendation: { Text: "For information on how to correct this issue, consult the AWS Security Hub controls documentation.", Url: "https://docs.aws.amazon.com/console/securityhub/EC2.19/remediation" } },
        },
      ],
    },
  };
}

export function rootSignIn(): Record<string, unknown> {
  return {
    "detail-type": "AWS Console Sign In via CloudTrail",
    source: "aws.signin",
    account: ACCOUNT,
    time: "2026-12-04T09:00:00Z",
    region: "us-east-1",
    detail: {
      userIdentity: { type: "Root", arn: `arn:aws:iam::${ACCOUNT}:root` },
      sourceIPAddress: "198.51.100.7",
      eventTime: "2026-12-04T09:00:00Z",
      responseElements: { ConsoleLogin: "Success" },
    },
  };
}

export interface FakeResponse {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** A fake Teams webhook: answers each request with the next scripted response (then 200 "1"). */
export class FakeTeams {
  readonly requests: ReceivedRequest[] = [];
  private script: FakeResponse[] = [];
  private server: http.Server | undefined;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.requests.push({ method: req.method ?? "", url: req.url ?? "", contentType: req.headers["content-type"], body: Buffer.concat(chunks).toString("utf8") });
        const next = this.script.shift() ?? { status: 200, body: "1" };
        res.writeHead(next.status, { "content-type": "text/plain", ...(next.headers ?? {}) });
        res.end(next.body ?? "");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  /** The URL a Workflows webhook would have: the credential in the path and in `sig`. */
  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/workflows/${WEBHOOK_PATH_TOKEN}/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${WEBHOOK_SIG}`;
  }

  respond(...responses: FakeResponse[]): void {
    this.script.push(...responses);
  }

  reset(): void {
    this.script = [];
    this.requests.length = 0;
  }

  /** The JSON bodies received, parsed. */
  bodies(): Record<string, unknown>[] {
    return this.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
