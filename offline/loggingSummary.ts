/**
 * The central-logging line of a stack's plan report (docs/observability-logging.md): in management,
 * Graylog's nodes, their MongoDB and search back end and the index sets its provisioning input
 * holds; in an environment, which services ship through FireLens, which data nodes run Fluent Bit,
 * and whether the flow-log and access-log shipper runs. Pure, over the captured resources.
 */
import { decodeUserData } from "../components/data/userData";
import { FLUENT_BIT_PATHS } from "../components/data/bootstrap/fluentbit";
import type { CapturedResource } from "./types";

/** One index set as the provisioning input carries it. */
export interface IndexSetLine {
  stack: string;
  hotDays: number;
  archiveDays: number;
}

export interface GraylogLine {
  nodes: number;
  /** Distinct AZs of the nodes' subnets. */
  nodeAzs: number;
  /** Members of Graylog's MongoDB replica set. */
  mongodbNodes: number;
  /** Data nodes of Graylog's OpenSearch domain. */
  searchNodes: number;
  /** From the provisioning step's Invocation input; empty until the stack provisions Graylog. */
  indexSets: IndexSetLine[];
}

export interface ShippingLine {
  /** ECS services whose task definition routes the application's logs through FireLens. */
  servicesShipping: number;
  services: number;
  /** ECS service names (their `name`) that keep CloudWatch only, sorted. */
  servicesNotShipping: string[];
  /** Data-cluster nodes whose user data configures Fluent Bit. */
  dataNodesShipping: number;
  dataNodes: number;
  /** The flow-log and ALB access-log shipper (a Lambda function) runs in the stack. */
  shipper: boolean;
}

export interface LoggingSummary {
  graylog?: GraylogLine;
  shipping?: ShippingLine;
}

const INSTANCE = "aws:ec2/instance:Instance";
const FLUENT_BIT_CONF = `${FLUENT_BIT_PATHS.confDir}/fluent-bit.conf`;

type Container = { logConfiguration?: { logDriver?: unknown }; firelensConfiguration?: unknown };

function containersOf(r: CapturedResource): Container[] {
  const raw = r.inputs.containerDefinitions;
  try {
    const parsed: unknown = typeof raw === "string" ? JSON.parse(raw) : raw;
    return Array.isArray(parsed) ? (parsed as Container[]) : [];
  } catch {
    return [];
  }
}

/** A task definition whose containers log through a FireLens router it carries. */
function shipsThroughFirelens(td: CapturedResource): boolean {
  const cs = containersOf(td);
  return cs.some((c) => c.firelensConfiguration !== undefined) && cs.some((c) => c.logConfiguration?.logDriver === "awsfirelens");
}

/** True when `r` was registered under a component of type `componentType` (its URN's type chain names it). */
function under(r: CapturedResource, componentType: string): boolean {
  const chain = (r.urn.split("::")[2] ?? "").split("$");
  return chain.slice(0, -1).includes(componentType);
}

function indexSetsOf(resources: readonly CapturedResource[]): IndexSetLine[] {
  for (const r of resources.filter((x) => x.type === "aws:lambda/invocation:Invocation")) {
    let doc: unknown;
    try {
      doc = typeof r.inputs.input === "string" ? JSON.parse(r.inputs.input) : undefined;
    } catch {
      continue;
    }
    const sets = doc !== null && typeof doc === "object" ? (doc as { indexSets?: unknown }).indexSets : undefined;
    if (!Array.isArray(sets)) continue;
    return sets.flatMap((s: unknown) => {
      const x = (s ?? {}) as Record<string, unknown>;
      return typeof x.stack === "string" && typeof x.hotDays === "number" && typeof x.archiveDays === "number"
        ? [{ stack: x.stack, hotDays: x.hotDays, archiveDays: x.archiveDays }] : [];
    });
  }
  return [];
}

function graylogOf(resources: readonly CapturedResource[]): GraylogLine | undefined {
  const nodes = resources.filter((r) => r.type === INSTANCE && under(r, "tila:observability:GraylogCluster"));
  if (nodes.length === 0) return undefined;
  const azOf = new Map(resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((s) => [s.id, s.inputs.availabilityZone]));
  const azs = new Set(nodes.map((n) => azOf.get(String(n.inputs.subnetId ?? "")) ?? n.inputs.availabilityZone).filter((z) => typeof z === "string"));
  const mongodb = resources.filter((r) => r.type === INSTANCE && /graylog/i.test(String((r.inputs.tags as Record<string, unknown> | undefined)?.Cluster ?? "")));
  const domain = resources.find((r) => r.type === "aws:opensearch/domain:Domain" && under(r, "tila:observability:GraylogSearch"));
  const searchNodes = Number((domain?.inputs.clusterConfig as { instanceCount?: unknown } | undefined)?.instanceCount ?? 0);
  return { nodes: nodes.length, nodeAzs: azs.size, mongodbNodes: mongodb.length, searchNodes, indexSets: indexSetsOf(resources) };
}

function shippingOf(resources: readonly CapturedResource[]): ShippingLine | undefined {
  const tds = new Map(resources.filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition").map((td) => [String(td.outputs.arn ?? td.id), td]));
  const services = resources.filter((r) => r.type === "aws:ecs/service:Service");
  const ships = (s: CapturedResource): boolean => {
    const td = tds.get(String(s.inputs.taskDefinition ?? ""));
    return td !== undefined && shipsThroughFirelens(td);
  };
  const servicesShipping = services.filter(ships).length;
  const servicesNotShipping = services.filter((s) => !ships(s)).map((s) => String(s.inputs.name ?? s.name)).sort();
  const dataNodes = resources.filter((r) => r.type === INSTANCE && typeof (r.inputs.tags as Record<string, unknown> | undefined)?.Cluster === "string");
  const dataNodesShipping = dataNodes.filter((n) => {
    try {
      return decodeUserData(n.inputs).includes(FLUENT_BIT_CONF);
    } catch {
      return false;
    }
  }).length;
  const shipper = resources.some((r) => r.type === "aws:lambda/function:Function" && /log-shipper/.test(`${r.name} ${String(r.inputs.name ?? "")}`));
  if (services.length === 0 && dataNodes.length === 0 && !shipper) return undefined;
  return { servicesShipping, services: services.length, servicesNotShipping, dataNodesShipping, dataNodes: dataNodes.length, shipper };
}

/** Management's Graylog, an environment's shipping; undefined when the stack has neither. */
export function summarizeLogging(stack: string, resources: readonly CapturedResource[]): LoggingSummary | undefined {
  const graylog = graylogOf(resources);
  const shipping = stack === "management" ? undefined : shippingOf(resources);
  if (!graylog && !shipping) return undefined;
  return { ...(graylog ? { graylog } : {}), ...(shipping ? { shipping } : {}) };
}

/** The report's logging line of one stack. */
export function formatLogging(l: LoggingSummary): string[] {
  const lines: string[] = [];
  const g = l.graylog;
  if (g) {
    const sets = g.indexSets.map((s) => `${s.stack} ${s.hotDays}/${s.archiveDays}`).join(", ");
    lines.push(`  logging: Graylog ${g.nodes} nodes over ${g.nodeAzs} AZs, MongoDB ${g.mongodbNodes} nodes, OpenSearch ${g.searchNodes} data nodes; ` +
      `index sets (hot/archive days): ${sets || "not provisioned"}`);
  }
  const s = l.shipping;
  if (s) {
    const others = s.servicesNotShipping.length > 0 ? ` (CloudWatch only: ${s.servicesNotShipping.join(", ")})` : "";
    lines.push(`  logging: to Graylog from ${s.servicesShipping} of ${s.services} services (FireLens)${others}, ${s.dataNodesShipping} of ${s.dataNodes} data nodes (Fluent Bit); ` +
      `flow-log and access-log shipper ${s.shipper ? "on" : "off"}`);
  }
  return lines;
}
