/**
 * One environment's services picture model from its captured graph: the load balancers (with WAF
 * and listeners), the services they route to (listener rule -> target group -> ECS service), and
 * the data resources each service reaches, read from the security-group chain: a data resource's
 * group admitting a service's group (ServiceSecurityGroups' `ids` output) on some ports. Pure.
 */
import type { CapturedResource } from "../types";
import type { AlbModel, DataResourceModel, EnvironmentModel, ServiceModel } from "./types";

const DATA_TYPES = ["tila:data:NoSqlCluster", "tila:data:MySqlDatabase", "tila:data:RedisCache", "tila:data:SearchDomain"];
const ENGINE_LABELS: Record<string, string> = {
  aerospike: "Aerospike", arangodb: "ArangoDB", couchbase: "Couchbase", kafka: "Kafka", mongodb: "MongoDB", solr: "SolrCloud", zookeeper: "ZooKeeper",
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const arr = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);

/** `prod-checkout` -> `checkout`. */
function local(name: string, stack: string): string {
  return name.startsWith(`${stack}-`) ? name.slice(stack.length + 1) : name;
}

interface Admission { groupId: string; source: string; ports: string }

/** Security-group ingress from another group, in the three ways a rule can be declared. */
function groupAdmissions(resources: readonly CapturedResource[]): Admission[] {
  const ports = (proto: unknown, from: unknown, to: unknown): string => {
    if (proto === "-1" || proto === -1) return "all";
    if (typeof from !== "number") return "?";
    return to === from || typeof to !== "number" ? String(from) : `${from}-${to}`;
  };
  const out: Admission[] = [];
  for (const r of resources) {
    const i = r.inputs;
    if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && str(i.referencedSecurityGroupId)) {
      out.push({ groupId: String(i.securityGroupId), source: String(i.referencedSecurityGroupId), ports: ports(i.ipProtocol, i.fromPort, i.toPort) });
    } else if (r.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && i.type === "ingress" && str(i.sourceSecurityGroupId)) {
      out.push({ groupId: String(i.securityGroupId), source: String(i.sourceSecurityGroupId), ports: ports(i.protocol, i.fromPort, i.toPort) });
    } else if (r.type === "aws:ec2/securityGroup:SecurityGroup" && r.id) {
      for (const rule of arr(i.ingress)) {
        for (const g of (rule.securityGroups as string[] | undefined) ?? []) out.push({ groupId: r.id, source: g, ports: ports(rule.protocol, rule.fromPort, rule.toPort) });
      }
    }
  }
  return out;
}

/** `27017`, `8091-8096, 11207` from several admissions' ports: numeric order, duplicates once. */
function joinPorts(list: readonly string[]): string {
  const first = (p: string): number => (p === "all" ? -1 : Number(p.split("-")[0]) || 0);
  return [...new Set(list)].sort((a, b) => first(a) - first(b) || byName(a, b)).join(", ");
}

/** The most frequent entry (ties: the first in order); empty for none. */
function commonPorts(list: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const p of list) counts.set(p, (counts.get(p) ?? 0) + 1);
  let best = "";
  for (const [p, n] of counts) if (n > (counts.get(best) ?? 0)) best = p;
  return best;
}

function dataLabel(component: CapturedResource, name: string, resources: readonly CapturedResource[]): string {
  const childOf = (type: string): CapturedResource | undefined => {
    const prefix = component.urn;
    return resources.find((r) => r.type === type && (r.parent === prefix || (r.parent ?? "").startsWith(prefix)));
  };
  switch (component.type) {
    case "tila:data:MySqlDatabase": {
      const db = childOf("aws:rds/instance:Instance");
      return `RDS MySQL${db?.inputs.multiAz === true ? " Multi-AZ" : ""}`;
    }
    case "tila:data:RedisCache": {
      const rg = childOf("aws:elasticache/replicationGroup:ReplicationGroup");
      const n = rg?.inputs.numCacheClusters;
      return `ElastiCache Redis${typeof n === "number" ? ` ×${n}` : ""}`;
    }
    case "tila:data:SearchDomain": {
      const d = childOf("aws:opensearch/domain:Domain");
      const n = (d?.inputs.clusterConfig as Record<string, unknown> | undefined)?.instanceCount;
      return `OpenSearch${typeof n === "number" ? ` ×${n}` : ""}`;
    }
    default: {
      const n = Array.isArray(component.outputs.instanceIds) ? component.outputs.instanceIds.length : 0;
      return `${ENGINE_LABELS[name] ?? name} on EC2${n > 0 ? ` ×${n}` : ""}`;
    }
  }
}

export function environmentModel(stack: string, graph: readonly CapturedResource[]): EnvironmentModel {
  const resources = graph.filter((r) => !r.read);
  const ofType = (type: string): CapturedResource[] => resources.filter((r) => r.type === type);

  const wafTargets = new Set(ofType("aws:wafv2/webAclAssociation:WebAclAssociation").map((a) => str(a.inputs.resourceArn)));
  const lbs = ofType("aws:lb/loadBalancer:LoadBalancer").filter((lb) => (str(lb.inputs.loadBalancerType) ?? "application") === "application");
  const lbName = new Map(lbs.map((lb) => [lb.id, lb.name]));
  const listeners = ofType("aws:lb/listener:Listener");
  const albs: AlbModel[] = lbs.map((lb) => ({
    name: lb.name,
    internal: lb.inputs.internal === true,
    waf: wafTargets.has(lb.id),
    listeners: listeners.filter((l) => l.inputs.loadBalancerArn === lb.id)
      .sort((a, b) => Number(a.inputs.port) - Number(b.inputs.port))
      .map((l) => {
        const action = str(arr(l.inputs.defaultActions)[0]?.type);
        return `${String(l.inputs.protocol ?? "")} ${String(l.inputs.port ?? "")}${action === "redirect" ? " redirect" : ""}`.trim();
      }),
  })).sort((a, b) => Number(a.internal) - Number(b.internal) || byName(a.name, b.name));

  // Target group -> the load balancers (and rule conditions) that forward to it.
  const lbOfListener = new Map(listeners.map((l) => [l.id, lbName.get(str(l.inputs.loadBalancerArn))]));
  const routesOfTg = new Map<string, ServiceModel["routes"]>();
  for (const rule of ofType("aws:lb/listenerRule:ListenerRule")) {
    const alb = lbOfListener.get(str(rule.inputs.listenerArn));
    if (!alb) continue;
    const values = (key: string): string[] =>
      arr(rule.inputs.conditions).flatMap((c) => ((c[key] as Record<string, unknown> | undefined)?.values as string[] | undefined) ?? []).sort(byName);
    for (const action of arr(rule.inputs.actions)) {
      const tg = str(action.targetGroupArn);
      if (tg) (routesOfTg.get(tg) ?? routesOfTg.set(tg, []).get(tg)!).push({ alb, hosts: values("hostHeader"), paths: values("pathPattern") });
    }
  }

  const serviceComponents = ofType("tila:compute:MicroserviceService");
  const ecsServices = ofType("aws:ecs/service:Service");
  const services: ServiceModel[] = serviceComponents.map((c): ServiceModel => {
    const ecs = ecsServices.find((s) => s.parent === c.urn);
    const lbsOf = arr(ecs?.inputs.loadBalancers);
    const routes = lbsOf.flatMap((l) => routesOfTg.get(String(l.targetGroupArn)) ?? []).sort((a, b) => byName(a.alb, b.alb) || byName(a.paths.join(), b.paths.join()));
    const port = lbsOf[0]?.containerPort;
    return {
      name: local(c.name, stack),
      routes,
      ...(typeof ecs?.inputs.desiredCount === "number" ? { desiredCount: ecs.inputs.desiredCount } : {}),
      ...(typeof port === "number" ? { containerPort: port } : {}),
    };
  });

  const serviceGroups = (resources.find((r) => r.type === "tila:compute:ServiceSecurityGroups")?.outputs.ids ?? {}) as Record<string, string>;
  // A group of a task that is not a catalogue service (the analytics lake's Kafka Connect workers)
  // is drawn too, without routes: the data tier admits it, so the picture must show who it is.
  const drawn = new Set(services.map((s) => s.name));
  for (const name of Object.keys(serviceGroups)) if (!drawn.has(name)) services.push({ name, routes: [] });
  services.sort((a, b) => byName(a.name, b.name));
  const serviceOfGroup = new Map(Object.entries(serviceGroups).map(([svc, id]) => [id, svc]));
  const dataComponents = resources.filter((r) => DATA_TYPES.includes(r.type));
  const dataOfGroup = new Map(dataComponents.flatMap((c) => (str(c.outputs.securityGroupId) ? [[String(c.outputs.securityGroupId), local(c.name, stack)] as const] : [])));
  const admissions = groupAdmissions(resources);
  const data: DataResourceModel[] = dataComponents.map((c) => {
    const name = local(c.name, stack);
    const groupId = str(c.outputs.securityGroupId);
    const clients = new Map<string, { from: string; kind: "service" | "data"; ports: string[] }>();
    for (const a of admissions.filter((x) => groupId !== undefined && x.groupId === groupId && x.source !== groupId)) {
      const svc = serviceOfGroup.get(a.source);
      const peer = dataOfGroup.get(a.source);
      const from = svc ?? peer;
      if (from === undefined) continue;
      const key = `${svc ? "service" : "data"}:${from}`;
      const entry = clients.get(key) ?? clients.set(key, { from, kind: svc ? "service" : "data", ports: [] }).get(key)!;
      entry.ports.push(a.ports);
    }
    const list = [...clients.values()].map((e) => ({ from: e.from, kind: e.kind, ports: joinPorts(e.ports) }))
      .sort((a, b) => byName(a.kind, b.kind) || byName(a.from, b.from));
    return { name, label: dataLabel(c, name, resources), ports: commonPorts(list.map((x) => x.ports)), clients: list };
  }).sort((a, b) => byName(a.name, b.name));

  return { stack, albs, services, data };
}
