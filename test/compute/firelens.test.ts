import { expect } from "chai";
import { FirelensConfig } from "../../components/compute/FirelensConfig";
import { MicroserviceService, MicroserviceServiceArgs } from "../../components/compute/MicroserviceService";
import { FALLBACK_LOG_MIN_DAYS, FIRELENS_ROUTER_IMAGE, fallbackConfig, gelfOutputOptions } from "../../components/compute/firelens";
import { LOG_FIELDS } from "../../components/observability/logging/graylogPlan";
import { CaptureResult } from "../../offline/types";
import { resourceRuleFindings } from "../support/realPolicy";
import { T, captureError, catalogArgs, checkoutArgs, one, policyDocument, run, serviceChild, serviceChildren, tagsOf } from "./computeHarness";

const HOST = "graylog.prod.internal.tila.sa";
const SHIPPING = { host: HOST, port: 12201, managementCidr: "10.0.0.0/16", fallbackRetentionDays: 7 };
const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";

/** Checkout ships through FireLens, catalog does not; both in one prod program. */
function program(shipCheckout: boolean): () => Record<string, unknown> {
  return () => {
    const config = new FirelensConfig("prod-firelens", { environment: "prod", excludedServices: ["catalog"], tags: checkoutArgs().tags });
    const ship = (a: MicroserviceServiceArgs): MicroserviceServiceArgs => ({ ...a, logShipping: { ...SHIPPING, configObjectArn: config.configObjectArn } });
    new MicroserviceService("prod-checkout", shipCheckout ? ship(checkoutArgs()) : checkoutArgs());
    new MicroserviceService("prod-catalog", catalogArgs());
    return { object: config.configObjectArn };
  };
}

function containers(result: CaptureResult, component: string): Record<string, Record<string, unknown>> {
  const defs = JSON.parse(serviceChild(result, component, T.TASK).inputs.containerDefinitions as string) as Record<string, unknown>[];
  return Object.fromEntries(defs.map((d) => [d.name as string, d]));
}

describe("FireLens on a MicroserviceService", () => {
  let shipped: CaptureResult;
  let plain: CaptureResult;

  before(async () => {
    shipped = await run(program(true), "prod");
    plain = await run(program(false), "prod");
  });

  it("sends the application's output as GELF over TLS that verifies the chain and Graylog's name", () => {
    const app = containers(shipped, "prod-checkout").checkout!;
    expect(app.logConfiguration).to.deep.equal({ logDriver: "awsfirelens", options: { ...gelfOutputOptions({ host: HOST, port: 12201 }), "log-driver-buffer-limit": "8192" } });
    expect((app.logConfiguration as { options: Record<string, string> }).options).to.deep.include({ Name: "gelf", Mode: "tls", tls: "On", "tls.verify": "On", "tls.verify_hostname": "On", "tls.vhost": HOST, Host: HOST, Port: "12201" });
  });

  it("adds one essential router: pinned AWS image, memory reserved, its own logs to the service's group, the FireLens file from S3", () => {
    const defs = containers(shipped, "prod-checkout");
    expect(Object.keys(defs)).to.deep.equal(["checkout", "log_router"]);
    const router = defs.log_router!;
    expect(router).to.deep.include({ image: FIRELENS_ROUTER_IMAGE, essential: true, user: "0", readonlyRootFilesystem: false, memoryReservation: 50 });
    expect(router.firelensConfiguration).to.deep.equal({ type: "fluentbit", options: { "enable-ecs-log-metadata": "true" } });
    expect(router.logConfiguration).to.deep.equal({ logDriver: "awslogs", options: { "awslogs-group": "/tila/prod/checkout", "awslogs-region": "me-south-1", "awslogs-stream-prefix": "firelens" } });
    const env = Object.fromEntries((router.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    expect(env).to.deep.equal({ TILA_ENVIRONMENT: "prod", TILA_FALLBACK_LOG_GROUP: "/tila/prod/checkout", TILA_SERVICE: "checkout", aws_fluent_bit_init_s3_1: env.aws_fluent_bit_init_s3_1 });
    expect(env.aws_fluent_bit_init_s3_1).to.match(/^arn:aws:s3:::prod-firelens-bucket[^/]*\/firelens\/service-logs\.conf$/);
  });

  it("keeps the CloudWatch copy for fallbackRetentionDays in a group tagged as the copy", () => {
    const group = serviceChild(shipped, "prod-checkout", T.LOG_GROUP);
    expect(group.inputs.retentionInDays).to.equal(7);
    expect(tagsOf(group)).to.deep.include({ LogRole: "firelens-fallback" });
  });

  it("lets the task role read only the FireLens file and write only the service's own group", () => {
    const doc = policyDocument<{ Statement: { Sid: string; Action: string[]; Resource: string[] }[] }>(one(shipped, T.ROLE_POLICY, "prod-checkout-task-policy"), "policy");
    expect(doc.Statement.map((s) => [s.Sid, s.Action])).to.deep.equal([
      ["ReadLogRouterConfig", ["s3:GetObject"]],
      ["LocateLogRouterConfig", ["s3:GetBucketLocation"]],
      ["WriteServiceLogCopy", ["logs:CreateLogStream", "logs:PutLogEvents"]],
    ]);
    const bySid = Object.fromEntries(doc.Statement.map((s) => [s.Sid, s.Resource]));
    expect(bySid.ReadLogRouterConfig![0]).to.match(/^arn:aws:s3:::[^/]+\/firelens\/service-logs\.conf$/);
    expect(bySid.LocateLogRouterConfig![0]).to.match(/^arn:aws:s3:::[^/]+$/);
    expect(bySid.WriteServiceLogCopy).to.deep.equal(["arn:aws:logs:me-south-1:444444444444:log-group:/tila/prod/checkout:*"]);
  });

  it("opens the service's group towards management on the GELF port only", () => {
    const rules = serviceChildren(shipped, "prod-checkout", T.EGRESS).filter((r) => r.inputs.cidrIpv4 !== "0.0.0.0/0" && r.inputs.referencedSecurityGroupId === undefined);
    expect(rules.map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort])).to.deep.equal([["prod-checkout-egress-graylog", "10.0.0.0/16", 12201, 12201]]);
    // The egress rule and the task role's policy (checkout has no other AWS need).
    expect(serviceChildren(shipped, "prod-checkout")).to.have.length(serviceChildren(plain, "prod-checkout").length + 2);
  });

  it("leaves a service that does not ship byte-identical", () => {
    const inputs = (r: CaptureResult): string => JSON.stringify(serviceChildren(r, "prod-catalog").map((c) => [c.type, c.name, c.inputs]));
    expect(inputs(shipped)).to.equal(inputs(plain));
    expect(Object.keys(containers(plain, "prod-checkout"))).to.deep.equal(["checkout"]);
  });

  it("passes every resource rule of the pack", () => {
    expect(resourceRuleFindings(shipped.resources)).to.deep.equal([]);
  });

  it("refuses a shipping target that is not one, naming the argument", async () => {
    const err = await captureError(() => {
      new MicroserviceService("prod-checkout", checkoutArgs({ logShipping: { host: "graylog", port: 0, managementCidr: "10.0.0.0", fallbackRetentionDays: 8, configObjectArn: "x" } }));
      return {};
    }, "prod");
    expect(err).to.match(/logShipping\.host: "graylog"/).and.match(/logShipping\.port/).and.match(/logShipping\.managementCidr/).and.match(/logShipping\.fallbackRetentionDays: 8/);
  });
});

describe("FirelensConfig", () => {
  it("holds the file in a private, encrypted, versioned, TLS-only bucket and names the excluded services", async () => {
    const r = await run(() => ({ arn: new FirelensConfig("prod-firelens", { environment: "prod", excludedServices: ["search", "catalog", "search"], tags: checkoutArgs().tags }).configObjectArn }), "prod");
    const object = one(r, OBJECT, "prod-firelens-service-logs");
    expect(object.inputs).to.deep.include({ key: "firelens/service-logs.conf", content: fallbackConfig() });
    expect(tagsOf(object)).to.deep.include({ ExcludedServices: "catalog search" });
    expect(r.resources.filter((x) => x.custom).map((x) => x.type.split(":").pop()).sort()).to.deep.equal([
      "Bucket", "BucketLifecycleConfiguration", "BucketObjectv2", "BucketOwnershipControls", "BucketPolicy", "BucketPublicAccessBlock", "BucketServerSideEncryptionConfiguration", "BucketVersioning",
    ]);
    expect(resourceRuleFindings(r.resources)).to.deep.equal([]);
  });
});

describe("the FireLens file", () => {
  const text = fallbackConfig();

  it("adds the message fields Graylog routes on to every FireLens record, and the task id as GELF host", () => {
    for (const field of [LOG_FIELDS.environment, LOG_FIELDS.kind, LOG_FIELDS.service]) expect(text).to.match(new RegExp(`^ {4}Record +${field} `, "m"));
    expect(text).to.match(/^ {4}Record +log_kind service$/m);
    expect(text).to.match(/^ {4}Record +host \$\{ECS_TASK_ID\}$/m);
  });

  it("copies the records to the service's existing group, creating no group", () => {
    expect(text).to.match(/\[OUTPUT\]\n {4}Name +cloudwatch_logs\n {4}Match +\*-firelens-\*\n/);
    expect(text).to.match(/^ {4}log_group_name +\$\{TILA_FALLBACK_LOG_GROUP\}$/m).and.match(/^ {4}auto_create_group false$/m);
  });

  it("keeps prod's copy at least a week", () => {
    expect(FALLBACK_LOG_MIN_DAYS).to.deep.equal({ prod: 7 });
  });
});

describe("FirelensConfig refusals", () => {
  it("refuses exclusions an S3 object tag cannot hold, and tags past S3's ten per object", async () => {
    const many = Array.from({ length: 30 }, (_, i) => `service-number-${i}`);
    const err = await captureError(() => ({ arn: new FirelensConfig("prod-firelens", { environment: "prod", excludedServices: many, tags: { ...checkoutArgs().tags, A: "a", B: "b", C: "c", D: "d" } }).configObjectArn }), "prod");
    expect(err).to.match(/excludedServices: 30 names take \d+ characters; an S3 object tag value holds at most 256/).and.match(/tags: the FireLens file would carry 11 tags; S3 objects hold at most 10/);
  });
});
