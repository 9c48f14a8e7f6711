import { expect } from "chai";
import { containerDefinitions } from "../../../../components/compute/containerDefinition";
import { FALLBACK_CONFIG_KEY, gelfOutputOptions, routerContainer } from "../../../../components/compute/firelens";
import { ecsContainersLogToAwslogs } from "../../../../policy/rules/compute/awslogs";
import { ecsContainersRunAsNonRoot } from "../../../../policy/rules/compute/nonRootUser";
import { ecsContainerImagesPinned } from "../../../../policy/rules/compute/pinnedImages";
import { ecsContainersReadOnlyRootFilesystem } from "../../../../policy/rules/compute/readOnlyRoot";
import { ecsServiceLogsShipped as rule } from "../../../../policy/rules/compute/serviceLogsShipped";
import { logGroupRetentionSet } from "../../../../policy/rules/logging/log-group-retention-set";
import { StackResourceSpec, checkResource, checkStack } from "../../../../policy/testing";
import { TASK_DEFINITION, container, tags, taskDefinition } from "./fixtures";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
const HOST = "graylog.prod.internal.tila.sa";
const CONFIG = "arn:aws:s3:::prod-firelens-bucket-1234567/firelens/service-logs.conf";

function router(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...routerContainer({ environment: "prod", service: "cart", logGroupName: "/tila/prod/cart", region: "me-south-1", configObjectArn: CONFIG }), ...overrides };
}
function shipping(optionOverrides: Record<string, string | undefined> = {}): Record<string, unknown> {
  const options: Record<string, string | undefined> = { ...gelfOutputOptions({ host: HOST, port: 12201 }), ...optionOverrides };
  return container({ logConfiguration: { logDriver: "awsfirelens", options } });
}
function stack(containers: Record<string, unknown>[], extra: StackResourceSpec[] = []): StackResourceSpec[] {
  return [
    { type: OBJECT, name: "prod-firelens-service-logs", props: { key: FALLBACK_CONFIG_KEY, tags: tags("prod") } },
    { type: "tila:compute:MicroserviceService", name: "prod-cart", props: {} },
    { type: TASK_DEFINITION, name: "prod-cart-task", parent: "prod-cart", props: taskDefinition(containers) },
    { type: LOG_GROUP, name: "prod-cart-logs", props: { name: "/tila/prod/cart", retentionInDays: 7, tags: { ...tags("prod"), LogRole: "firelens-fallback" } } },
    ...extra,
  ];
}
const messages = (specs: StackResourceSpec[]): string[] => checkStack(rule, specs).map((v) => v.message);

describe("ecs-service-logs-shipped", () => {
  it("accepts a task whose application ships GELF over verified TLS through one pinned AWS router, and its tagged fallback group", () => {
    expect(messages(stack([shipping(), router()]))).to.deep.equal([]);
  });

  it("accepts what the component renders", () => {
    const rendered = containerDefinitions(
      { containerName: "cart", image: "x/cart:1.0.0", user: "1000:1000", containerPort: 8080, environment: "prod", service: "cart", logGroupName: "/tila/prod/cart" } as never,
      { region: "me-south-1", secrets: [], environment: [], firelens: { host: HOST, port: 12201, configObjectArn: CONFIG } },
    );
    expect(messages(stack(rendered))).to.deep.equal([]);
  });

  it("rejects, on that task only, a container still on awslogs, an unverified name, another port or plain TCP", () => {
    expect(messages(stack([container(), router()]))).to.deep.equal(['task definition prod-cart-task: container "cart" logs with "awslogs", not through FireLens (awsfirelens)', "log group prod-cart-logs is tagged LogRole=firelens-fallback but no shipping service's log router writes its CloudWatch copy there; remove the tag (its retention is then held to the floor)"]);
    expect(messages(stack([shipping({ "tls.verify_hostname": "Off" }), router()]))[0]).to.equal('task definition prod-cart-task: container "cart" does not send GELF over verified TLS to port 12201: needs tls.verify_hostname On');
    expect(messages(stack([shipping({ Port: "12202" }), router()]))[0]).to.match(/needs Port 12201/);
    expect(messages(stack([shipping({ Mode: "tcp", tls: undefined }), router()]))[0]).to.match(/needs Mode tls, tls On/);
    expect(messages(stack([shipping({ Host: undefined }), router()]))[0]).to.equal('task definition prod-cart-task: container "cart" names no Graylog Host');
    expect(messages(stack([shipping({ Gelf_Level_Key: undefined }), router()]))[0]).to.equal('task definition prod-cart-task: container "cart" sends no GELF level (needs Gelf_Level_Key level): Graylog\'s error alerts count on it');
  });

  it("rejects a task without a router, an unpinned or foreign router image", () => {
    expect(messages(stack([shipping()]))[0]).to.equal("task definition prod-cart-task: has 0 FireLens log routers; a shipping task has exactly one");
    expect(messages(stack([shipping(), router({ image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:init-latest" })]))[0]).to.match(/init-latest" uses tag "init-latest"/);
    expect(messages(stack([shipping(), router({ image: "docker.io/fluent/fluent-bit:4.1.0" })]))[0]).to.match(/is not AWS for Fluent Bit/);
  });

  it("skips a service the FireLens file names as excluded, and a stack that does not ship", () => {
    const excluded = stack([container(), router()]).map((r) => (r.type === OBJECT ? { ...r, props: { ...r.props, tags: { ...tags("prod"), ExcludedServices: "search cart" } } } : r)).filter((r) => r.type !== LOG_GROUP);
    expect(messages(excluded)).to.deep.equal([]);
    expect(messages([{ type: TASK_DEFINITION, name: "prod-cart-task", props: taskDefinition() }])).to.deep.equal([]);
    const collector = { type: TASK_DEFINITION, name: "prod-prometheus-task", props: taskDefinition() };
    expect(messages([...stack([shipping(), router()]), collector]), "a task that is no service's").to.deep.equal([]);
  });

  it("holds a group claiming to be a fallback to the claim even where nothing ships", () => {
    const claim: StackResourceSpec = { type: LOG_GROUP, name: "prod-audit-logs", props: { name: "/tila/prod/audit", retentionInDays: 1, tags: { ...tags("prod"), LogRole: "firelens-fallback" } } };
    expect(messages([claim])).to.have.length(1);
    expect(messages(stack([shipping(), router()], [claim]))).to.deep.equal(["log group prod-audit-logs is tagged LogRole=firelens-fallback but no shipping service's log router writes its CloudWatch copy there; remove the tag (its retention is then held to the floor)"]);
  });
});

describe("the task-definition rules with a FireLens router", () => {
  const td = taskDefinition([shipping(), router()]);

  it("accept AWS's router as root with a writable root filesystem, its init-X.Y.Z tag, and awsfirelens beside it", () => {
    for (const r of [ecsContainersRunAsNonRoot, ecsContainersReadOnlyRootFilesystem, ecsContainerImagesPinned, ecsContainersLogToAwslogs]) expect(checkResource(r, TASK_DEFINITION, td), r.name).to.deep.equal([]);
  });

  it("still reject root, a writable root and awsfirelens without AWS's router", () => {
    const foreign = router({ image: "docker.io/fluent/fluent-bit:4.1.0" });
    expect(checkResource(ecsContainersRunAsNonRoot, TASK_DEFINITION, taskDefinition([shipping(), foreign]))).to.deep.equal(['container "log_router" runs as "0"; use a non-zero UID such as 1000:1000']);
    expect(checkResource(ecsContainersReadOnlyRootFilesystem, TASK_DEFINITION, taskDefinition([shipping(), foreign]))).to.deep.equal(['container "log_router" does not set readonlyRootFilesystem: true']);
    expect(checkResource(ecsContainersLogToAwslogs, TASK_DEFINITION, taskDefinition([shipping()]))).to.deep.equal(['container "cart" log driver is "awsfirelens", not "awslogs"']);
    expect(checkResource(ecsContainerImagesPinned, TASK_DEFINITION, taskDefinition([router({ image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:init-latest" })]))).to.have.length(1);
  });
});

describe("log-group-retention-set with a FireLens fallback", () => {
  it("leaves the floor to Graylog for a tagged copy, and holds an untagged prod group to 90 days", () => {
    const group = (t: Record<string, string>): Record<string, unknown> => ({ name: "/tila/prod/cart", retentionInDays: 7, tags: t });
    expect(checkResource(logGroupRetentionSet, LOG_GROUP, group({ ...tags("prod"), LogRole: "firelens-fallback" }))).to.deep.equal([]);
    expect(checkResource(logGroupRetentionSet, LOG_GROUP, group(tags("prod")))).to.have.length(1);
    expect(checkResource(logGroupRetentionSet, LOG_GROUP, { ...group({ ...tags("prod"), LogRole: "firelens-fallback" }), retentionInDays: undefined })).to.have.length(1);
  });
});
