/**
 * The security-group chain of an environment, checked on the captured graph: every data-tier
 * security group admits only (a) the services that declared that data resource, (b) its own
 * members, (c) for ZooKeeper, the clusters that keep their state in it, and (d) its own
 * provisioning function (the Lambda that creates the services' users in MySQL and OpenSearch), and
 * (e) the environment's Prometheus collector, on exactly the metrics ports the cluster's nodes
 * serve (its `metricsEndpoints` output). No CIDR ever. And every declared use is admitted. Pure.
 */
import { CapturedResource } from "./types";

export interface AdmissionViolation {
  /** Data resource whose group admits too much (`mongodb`, `mysql`, ...). */
  resource: string;
  rule: string;
  message: string;
}

const DATA_COMPONENTS: Record<string, string> = {
  "tila:data:NoSqlCluster": "",
  "tila:data:MySqlDatabase": "mysql",
  "tila:data:RedisCache": "redis",
  "tila:data:SearchDomain": "opensearch",
};

/** The data resource a component stands for: `prod-mongodb` -> `mongodb`; managed ones by type. */
function dataResourceName(component: CapturedResource, environment: string): string {
  const fixed = DATA_COMPONENTS[component.type];
  if (fixed) return fixed;
  return component.name.startsWith(`${environment}-`) ? component.name.slice(environment.length + 1) : component.name;
}

interface Rule {
  urn: string;
  name: string;
  groupId: string;
  cidrs: string[];
  sourceGroupIds: string[];
  /** The port range; undefined where the rule form does not say (inline rules). */
  ports?: { from: number; to: number };
}

function ingressRules(resources: readonly CapturedResource[]): Rule[] {
  const rules: Rule[] = [];
  for (const r of resources) {
    if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
      const i = r.inputs;
      rules.push({
        urn: r.urn,
        name: r.name,
        groupId: String(i.securityGroupId),
        cidrs: [i.cidrIpv4, i.cidrIpv6].filter((c): c is string => typeof c === "string"),
        sourceGroupIds: typeof i.referencedSecurityGroupId === "string" ? [i.referencedSecurityGroupId] : [],
        ...(typeof i.fromPort === "number" && typeof i.toPort === "number" ? { ports: { from: i.fromPort, to: i.toPort } } : {}),
      });
    } else if (r.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && r.inputs.type === "ingress") {
      const i = r.inputs;
      rules.push({
        urn: r.urn,
        name: r.name,
        groupId: String(i.securityGroupId),
        cidrs: [...((i.cidrBlocks as string[] | undefined) ?? []), ...((i.ipv6CidrBlocks as string[] | undefined) ?? [])],
        sourceGroupIds: i.self === true ? [String(i.securityGroupId)] : typeof i.sourceSecurityGroupId === "string" ? [i.sourceSecurityGroupId] : [],
      });
    } else if (r.type === "aws:ec2/securityGroup:SecurityGroup" && Array.isArray(r.inputs.ingress)) {
      for (const [k, rule] of (r.inputs.ingress as Record<string, unknown>[]).entries()) {
        rules.push({
          urn: r.urn,
          name: `${r.name} inline ingress[${k}]`,
          groupId: String(r.id),
          cidrs: [...((rule.cidrBlocks as string[] | undefined) ?? []), ...((rule.ipv6CidrBlocks as string[] | undefined) ?? [])],
          sourceGroupIds: [...((rule.securityGroups as string[] | undefined) ?? []), ...(rule.self === true ? [String(r.id)] : [])],
        });
      }
    }
  }
  return rules;
}

/**
 * `uses`: service name -> data resources it declared (from config). Service groups are read from
 * the `ids` output of the stack's ServiceSecurityGroups component.
 */
export function checkDataTierAdmission(resources: readonly CapturedResource[], environment: string, uses: Readonly<Record<string, readonly string[]>>): AdmissionViolation[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const provisioningFunctionOf = (r: CapturedResource): CapturedResource | undefined => {
    for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined) {
      if (p.type === "tila:data:ProvisioningFunction") return p;
    }
    return undefined;
  };
  const dataComponentOf = (r: CapturedResource): CapturedResource | undefined => {
    for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined) {
      if (p.type in DATA_COMPONENTS) return p;
    }
    return undefined;
  };
  const serviceGroups = resources.find((r) => r.type === "tila:compute:ServiceSecurityGroups");
  const serviceGroupIds = (serviceGroups?.outputs.ids ?? {}) as Record<string, string>;
  const serviceOfGroup = new Map(Object.entries(serviceGroupIds).map(([svc, id]) => [id, svc]));

  // Data resource of every data-tier group.
  const groupOwner = new Map<string, string>();
  // The group of a data resource's provisioning function -> that data resource.
  const provisionerOf = new Map<string, string>();
  for (const g of resources.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && !r.read)) {
    const owner = dataComponentOf(g);
    if (!owner || !g.id) continue;
    if (provisioningFunctionOf(g)) provisionerOf.set(g.id, dataResourceName(owner, environment));
    else groupOwner.set(g.id, dataResourceName(owner, environment));
  }
  // The Prometheus collector's groups, and the metrics ports each data resource's nodes serve.
  const within = (r: CapturedResource, type: string): boolean => {
    for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined) if (p.type === type) return true;
    return false;
  };
  const scraperGroups = new Set(resources.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && !r.read && r.id && within(r, "tila:observability:PrometheusCollector")).map((r) => r.id!));
  const metricsPortsOf = new Map<string, number[]>();
  for (const c of resources.filter((r) => r.type === "tila:data:NoSqlCluster")) {
    const endpoints = (c.outputs.metricsEndpoints ?? []) as { port?: unknown }[];
    metricsPortsOf.set(dataResourceName(c, environment), endpoints.flatMap((e) => (typeof e.port === "number" ? [e.port] : [])));
  }
  const zookeeperUsers = new Set<string>();
  for (const [id, owner] of groupOwner) if (owner === "kafka" || owner === "solr") zookeeperUsers.add(id);

  const violations: AdmissionViolation[] = [];
  const rules = ingressRules(resources);
  // Exactly: every declared use must be admitted too, or the service cannot reach what it needs.
  for (const [svc, resourcesUsed] of Object.entries(uses)) {
    const sg = serviceGroupIds[svc];
    for (const resource of resourcesUsed) {
      const admitted = rules.some((r) => groupOwner.get(r.groupId) === resource && sg !== undefined && r.sourceGroupIds.includes(sg));
      if (!admitted) violations.push({ resource, rule: "(missing)", message: `${resource} does not admit service "${svc}", which declared it` });
    }
  }
  for (const rule of rules) {
    const resource = groupOwner.get(rule.groupId);
    if (!resource) continue;
    for (const cidr of rule.cidrs) {
      violations.push({ resource, rule: rule.name, message: `${resource} admits the address range ${cidr}; only the services that declared it may connect` });
    }
    for (const source of rule.sourceGroupIds) {
      if (source === rule.groupId) continue; // cluster peers
      const svc = serviceOfGroup.get(source);
      if (svc && uses[svc]?.includes(resource)) continue;
      if (resource === "zookeeper" && zookeeperUsers.has(source)) continue;
      if (provisionerOf.get(source) === resource) continue;
      if (scraperGroups.has(source) && rule.ports && rule.ports.from === rule.ports.to && (metricsPortsOf.get(resource) ?? []).includes(rule.ports.from)) continue;
      const who = svc ? `service "${svc}", which did not declare it`
        : groupOwner.has(source) ? `the ${groupOwner.get(source)} cluster`
          : provisionerOf.has(source) ? `the provisioning function of ${provisionerOf.get(source)}`
            : scraperGroups.has(source) ? `the Prometheus collector on ${rule.ports ? `${rule.ports.from}-${rule.ports.to}` : "every port"}, which is not a metrics port of its nodes` : `unknown group ${source}`;
      violations.push({ resource, rule: rule.name, message: `${resource} admits ${who}` });
    }
  }
  return violations;
}
