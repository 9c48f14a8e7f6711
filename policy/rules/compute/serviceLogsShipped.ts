/**
 * ecs-service-logs-shipped: in a stack that ships its logs to Graylog, every service's task definition
 * routes its containers through FireLens to Graylog over verified TLS, and a log group that claims to
 * be only the short-lived CloudWatch copy (and so escapes log-group-retention-set's floor) really is
 * the copy a shipping service's router writes. docs/observability-logging.md#services-firelens.
 */
import type { PolicyResource } from "@pulumi/policy";
import { EXCLUDED_SERVICES_TAG, FALLBACK_CONFIG_KEY, FALLBACK_LOG_GROUP_TAG, FIRELENS_ROUTER_REPOSITORY, ROUTER_ENV } from "../../../components/compute/firelens";
import { GELF_TCP_PORT } from "../../../components/observability/logging/graylogPlan";
import type { StackRule } from "../types";
import { ContainerDefinition, TASK_DEFINITION_TYPE, containersOf, label } from "./containerDefinitions";
import { unpinnedReason } from "./pinnedImages";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
/** The component whose task definitions are the services' (the Prometheus collector's task, for one, is not a service). */
export const SERVICE_COMPONENT = "tila:compute:MicroserviceService";
const RECORD = "aws:route53/record:Record";
const OBJECTS = ["aws:s3/bucketObjectv2:BucketObjectv2", "aws:s3/bucketObject:BucketObject"];

/** The GELF options every shipping container must carry, exactly; the level key is what Graylog's per-service alerts count on. */
const REQUIRED_OPTIONS: Readonly<Record<string, string>> = { Name: "gelf", Mode: "tls", tls: "On", "tls.verify": "On", "tls.verify_hostname": "On", Port: String(GELF_TCP_PORT) };
const LEVEL_OPTION: readonly [string, string] = ["Gelf_Level_Key", "level"];

function tagsOf(r: PolicyResource): Record<string, unknown> {
  const tags: unknown = r.props.tags;
  return typeof tags === "object" && tags !== null ? (tags as Record<string, unknown>) : {};
}

/** Does the stack ship: Graylog's name in an environment zone, the routers' file, or a router in some task? */
function shippingState(resources: readonly PolicyResource[]): { ships: boolean; excluded: Set<string> } {
  const excluded = new Set<string>();
  let ships = false;
  for (const r of resources) {
    if (r.type === RECORD && typeof r.props.name === "string" && r.props.name.startsWith("graylog.") && r.props.type === "CNAME") ships = true;
    if (OBJECTS.includes(r.type) && r.props.key === FALLBACK_CONFIG_KEY) {
      ships = true;
      const names = tagsOf(r)[EXCLUDED_SERVICES_TAG];
      if (typeof names === "string") for (const n of names.split(" ").filter((x) => x !== "")) excluded.add(n);
    }
  }
  return { ships, excluded };
}

function isRouter(c: ContainerDefinition): boolean {
  return typeof c.firelensConfiguration === "object" && c.firelensConfiguration !== null;
}

/** What is wrong with one task definition's logging, or nothing; `fallbackGroup` is its router's copy when it is sound. */
export function taskShippingProblems(containers: readonly ContainerDefinition[]): { problems: string[]; fallbackGroup?: string } {
  const problems: string[] = [];
  const routers = containers.filter(isRouter);
  if (routers.length !== 1) return { problems: [`has ${routers.length} FireLens log routers; a shipping task has exactly one`] };
  const router = routers[0]!;
  if (router.firelensConfiguration?.type !== "fluentbit") problems.push(`log router's firelensConfiguration type is ${JSON.stringify(router.firelensConfiguration?.type)}, not "fluentbit"`);
  const image = typeof router.image === "string" ? router.image : "";
  if (!image.startsWith(`${FIRELENS_ROUTER_REPOSITORY}:`) && !image.startsWith(`${FIRELENS_ROUTER_REPOSITORY}@`)) problems.push(`log router image "${image}" is not AWS for Fluent Bit (${FIRELENS_ROUTER_REPOSITORY})`);
  else {
    const reason = unpinnedReason(image);
    if (reason) problems.push(`log router image "${image}" ${reason}`);
  }
  containers.forEach((c, i) => {
    if (isRouter(c)) return;
    const log = c.logConfiguration;
    if (log?.logDriver !== "awsfirelens") {
      problems.push(`${label(c, i)} logs with ${JSON.stringify(log?.logDriver ?? "no driver")}, not through FireLens (awsfirelens)`);
      return;
    }
    const options = log.options ?? {};
    const wrong = Object.entries(REQUIRED_OPTIONS).filter(([k, v]) => options[k] !== v).map(([k, v]) => `${k} ${v}`);
    if (wrong.length > 0) problems.push(`${label(c, i)} does not send GELF over verified TLS to port ${GELF_TCP_PORT}: needs ${wrong.join(", ")}`);
    if (typeof options.Host !== "string" || options.Host === "") problems.push(`${label(c, i)} names no Graylog Host`);
    if (options[LEVEL_OPTION[0]] !== LEVEL_OPTION[1]) problems.push(`${label(c, i)} sends no GELF level (needs ${LEVEL_OPTION[0]} ${LEVEL_OPTION[1]}): Graylog's error alerts count on it`);
  });
  const env = Array.isArray(router.environment) ? (router.environment as { name?: unknown; value?: unknown }[]) : [];
  const group = env.find((e) => e.name === ROUTER_ENV.fallbackLogGroup)?.value;
  return { problems, fallbackGroup: problems.length === 0 && typeof group === "string" ? group : undefined };
}

export const ecsServiceLogsShipped: StackRule = {
  name: "ecs-service-logs-shipped",
  description:
    "In a stack that ships its logs to Graylog, every service's task definition (a MicroserviceService's, but those named excluded on the FireLens file) has one FireLens log router of AWS for Fluent Bit, pinned, and routes every other container through awsfirelens with the gelf output over verified TLS (Mode tls, tls.verify and tls.verify_hostname On) to a Host on port 12201 with the record's level as GELF level (Gelf_Level_Key level, which Graylog's error alerts count on); and a log group tagged as a FireLens fallback is the CloudWatch copy of such a task's router, so only a real copy escapes the retention floor.",
  meta: { category: "security", domain: "compute", appliesTo: [TASK_DEFINITION_TYPE, LOG_GROUP, RECORD, ...OBJECTS] },
  validateStack: (args, report) => {
    const { ships, excluded } = shippingState(args.resources);
    const fallbacks = new Set<string>();
    if (ships) {
      for (const td of args.resources.filter((r) => r.type === TASK_DEFINITION_TYPE && r.parent?.type === SERVICE_COMPONENT)) {
        const service = tagsOf(td).Service;
        if (typeof service === "string" && excluded.has(service)) continue;
        const read = containersOf(td.props);
        if ("error" in read) {
          report(`task definition ${td.name}: ${read.error}`, td.urn);
          continue;
        }
        const { problems, fallbackGroup } = taskShippingProblems(read.containers);
        for (const p of problems) report(`task definition ${td.name}: ${p}`, td.urn);
        if (fallbackGroup !== undefined) fallbacks.add(fallbackGroup);
      }
    }
    for (const group of args.resources.filter((r) => r.type === LOG_GROUP && tagsOf(r)[FALLBACK_LOG_GROUP_TAG.key] === FALLBACK_LOG_GROUP_TAG.value)) {
      const name = group.props.name;
      if (typeof name !== "string" || !fallbacks.has(name)) {
        report(`log group ${group.name} is tagged ${FALLBACK_LOG_GROUP_TAG.key}=${FALLBACK_LOG_GROUP_TAG.value} but no shipping service's log router writes its CloudWatch copy there; remove the tag (its retention is then held to the floor)`, group.urn);
      }
    }
  },
};
