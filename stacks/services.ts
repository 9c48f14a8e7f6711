/**
 * Services and edge of an environment (docs/services-and-edge.md): the ECS cluster, one MicroserviceService per
 * catalogue entry, the public ALB behind WAF and the internal ALB, certificates and DNS names.
 * The security-group chain is public ALB -> service -> exactly the data resources it declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { EdgeSettings, EnvironmentName, ServiceSettings, ServicesSettings } from "../config/schema";
import { EcsCluster } from "../components/compute/EcsCluster";
import { MicroserviceService } from "../components/compute/MicroserviceService";
import { ServiceSecurityGroups } from "../components/compute/ServiceSecurityGroups";
import { LoadBalancerRecords } from "../components/edge/LoadBalancerRecords";
import { ApplicationLoadBalancer } from "../components/edge/ApplicationLoadBalancer";
import { DnsValidatedCertificate } from "../components/edge/DnsValidatedCertificate";
import { WebAcl } from "../components/edge/WebAcl";
import { EnvironmentNetwork } from "../components/network/EnvironmentNetwork";
import { Tags } from "../components/tags";
import { DataTier } from "./data";
import type { EnvironmentLogShipping, ServiceApm } from "./serviceWiring";
import { FirelensConfig } from "../components/compute/FirelensConfig";

/** A Route 53 zone and the provider of the account that owns it. */
export interface ZoneRef {
  zoneId: pulumi.Input<string>;
  name: string;
  provider?: pulumi.ProviderResource;
}

export interface ServicesInputs {
  environment: EnvironmentName;
  settings: ServicesSettings;
  edge: EdgeSettings;
  network: EnvironmentNetwork;
  data: DataTier;
  groups: ServiceSecurityGroups;
  /** Where the public names (api, www) live: the environment's delegated zone, or the apex for prod. */
  publicZone: ZoneRef;
  /** The apex public zone: validates the internal wildcard certificate (private zones cannot). */
  apexZone: ZoneRef;
  privateZone: ZoneRef;
  /** What each service's task definition gets for APM (stacks/apm.ts); undefined: nothing. */
  apm?: (service: string) => ServiceApm | undefined;
  /** Where the services ship their logs (FireLens to management's Graylog); undefined: CloudWatch only. */
  logShipping?: EnvironmentLogShipping;
  tags: Tags;
}

/** For each data resource, the security groups of the services that declared it. Pure. */
export function clientsByDataResource<T>(catalog: readonly Pick<ServiceSettings, "name" | "uses">[], groups: Readonly<Record<string, T>>): Record<string, Record<string, T>> {
  const out: Record<string, Record<string, T>> = {};
  for (const s of catalog) {
    const sg = groups[s.name];
    if (sg === undefined) throw new Error(`no security group for service "${s.name}"`);
    for (const u of s.uses) (out[u] ??= {})[s.name] = sg;
  }
  return out;
}

/** `checkout-api` -> `CHECKOUT_API`: environment variable prefix of a data resource. */
export function envPrefix(resource: string): string {
  return resource.toUpperCase().replace(/-/g, "_");
}

interface Wiring {
  environment: Record<string, pulumi.Input<string>>;
  secrets: Record<string, { secretArn: pulumi.Input<string>; jsonKey?: string }>;
  egress: { label: string; securityGroupId: pulumi.Input<string>; ports: number[] }[];
  /** IAM database users the task role may connect as (its own MySQL user). */
  databaseUserArns: pulumi.Input<string>[];
}

/**
 * What a service gets for each data resource it uses: endpoints, its own credential (never a
 * master or admin one), egress. MySQL: its IAM-authenticated user, no password at all; Redis,
 * OpenSearch and the clusters with users: the secret of its own user.
 */
export function wiringFor(service: string, uses: readonly string[], data: DataTier): Wiring {
  const w: Wiring = { environment: {}, secrets: {}, egress: [], databaseUserArns: [] };
  const own = <T>(what: string, byService: Readonly<Record<string, T>>): T => {
    const v = byService[service];
    if (v === undefined) throw new Error(`${what} has no user for service "${service}", which uses it`);
    return v;
  };
  for (const u of uses) {
    if (u === "mysql") {
      const access = own("mysql", data.mysql.serviceAccess);
      w.environment.DB_HOST = data.mysql.address;
      w.environment.DB_PORT = "3306";
      w.environment.DB_NAME = access.database;
      w.environment.DB_USERNAME = access.user;
      // The application signs a 15-minute token with its task role (rds-db:connect) instead of a password.
      w.environment.DB_AUTH = "iam";
      w.databaseUserArns.push(access.dbUserArn);
      w.egress.push({ label: "mysql", securityGroupId: data.mysql.securityGroupId, ports: [3306] });
    } else if (u === "redis") {
      const secretArn = own("redis", data.redis.serviceSecretArns);
      w.environment.REDIS_HOST = data.redis.primaryEndpoint;
      w.environment.REDIS_TLS = "true";
      w.environment.REDIS_KEY_PREFIX = `${service}:`;
      w.secrets.REDIS_USERNAME = { secretArn, jsonKey: "username" };
      w.secrets.REDIS_PASSWORD = { secretArn, jsonKey: "password" };
      w.egress.push({ label: "redis", securityGroupId: data.redis.securityGroupId, ports: [6379] });
    } else if (u === "opensearch") {
      const secretArn = own("opensearch", data.search.serviceSecretArns);
      w.environment.OPENSEARCH_URL = pulumi.interpolate`https://${data.search.endpoint}`;
      w.environment.OPENSEARCH_INDEX_PREFIX = `${service}-`;
      w.secrets.OPENSEARCH_USERNAME = { secretArn, jsonKey: "username" };
      w.secrets.OPENSEARCH_PASSWORD = { secretArn, jsonKey: "password" };
      w.egress.push({ label: "opensearch", securityGroupId: data.search.securityGroupId, ports: [443] });
    } else {
      const cluster = data.clusters[u];
      if (!cluster) throw new Error(`service uses "${u}", which is not a data resource of this environment`);
      const p = envPrefix(u);
      w.environment[`${p}_CONNECT`] = cluster.connectString;
      const secretArn = cluster.serviceSecretArns[service];
      if (secretArn !== undefined) {
        w.environment[`${p}_DATABASE`] = cluster.serviceDatabases[service]!;
        w.secrets[`${p}_USERNAME`] = { secretArn, jsonKey: "username" };
        w.secrets[`${p}_PASSWORD`] = { secretArn, jsonKey: "password" };
      }
      w.egress.push({ label: u, securityGroupId: cluster.securityGroupId, ports: [...cluster.clientPorts] });
    }
  }
  return w;
}

export interface ServicesTier {
  outputs: Record<string, pulumi.Input<unknown>>;
  /** The tier's components, for what watches them (stacks/observability.ts). */
  parts: {
    cluster: EcsCluster;
    publicAlb: ApplicationLoadBalancer;
    internalAlb: ApplicationLoadBalancer;
    services: Readonly<Record<string, MicroserviceService>>;
    waf: WebAcl;
    /** Each service's security group, by name: what scrapes a service admits itself here. */
    groups: ServiceSecurityGroups;
  };
}

export function buildServices(i: ServicesInputs): ServicesTier {
  const { environment: env, settings, edge, network, tags } = i;
  const prod = env === "prod";
  const catalog = settings.catalog;
  const publicServices = catalog.filter((s) => s.exposure === "public");
  const internalServices = catalog.filter((s) => s.exposure === "internal");

  const cluster = new EcsCluster(`${env}-ecs`, { environment: env, allowFargateSpot: settings.fargateSpot, tags });

  const apiName = `${edge.apiHost}.${i.publicZone.name}`;
  const webName = `${edge.webHost}.${i.publicZone.name}`;
  const publicCert = new DnsValidatedCertificate(`${env}-public-cert`, {
    domainName: apiName,
    subjectAlternativeNames: [webName],
    zoneId: i.publicZone.zoneId,
    zoneProvider: i.publicZone.provider,
    tags,
  });
  const internalCert = new DnsValidatedCertificate(`${env}-internal-cert`, {
    domainName: `*.${i.privateZone.name}`,
    zoneId: i.apexZone.zoneId,
    zoneProvider: i.apexZone.provider,
    tags,
  });

  const ports = (list: readonly ServiceSettings[]): number[] => [...new Set(list.map((s) => s.port))].sort((a, b) => a - b);
  const publicAlb = new ApplicationLoadBalancer(`${env}-public`, {
    environment: env,
    scheme: "internet-facing",
    vpcId: network.vpcId,
    vpcCidr: network.vpcCidr,
    subnetIds: network.subnetIds.public,
    certificateArn: publicCert.certificateArn,
    ingress: { cidrs: ["0.0.0.0/0"] },
    targetPorts: ports(publicServices),
    deletionProtection: prod,
    accessLogs: { retentionDays: edge.accessLogRetentionDays },
    tags,
  });
  const internalAlb = new ApplicationLoadBalancer(`${env}-internal`, {
    environment: env,
    scheme: "internal",
    vpcId: network.vpcId,
    vpcCidr: network.vpcCidr,
    subnetIds: network.subnetIds.app,
    certificateArn: internalCert.certificateArn,
    // The catalogue's services only: the analytics workers' group (stacks/analytics.ts) calls no service.
    ingress: { securityGroupIds: Object.fromEntries(Object.entries(i.groups.ids).filter(([n]) => catalog.some((c) => c.name === n))) },
    targetPorts: ports(internalServices.length > 0 ? internalServices : catalog),
    deletionProtection: prod,
    accessLogs: { retentionDays: edge.accessLogRetentionDays },
    tags,
  });

  const waf = new WebAcl(`${env}-waf`, {
    environment: env,
    resourceArn: publicAlb.arn,
    rateLimit: { limit: edge.waf.rateLimit, windowSeconds: edge.waf.rateWindowSeconds },
    geo: edge.waf.blockCountries ? { blockCountries: edge.waf.blockCountries } : undefined,
    logRetentionDays: edge.waf.logRetentionDays,
    tags,
  });

  // One FireLens file for the environment's routers; it also names the services that keep CloudWatch only.
  const shipping = i.logShipping;
  const shipped = (name: string): boolean => shipping !== undefined && !shipping.excludeServices.includes(name);
  const firelens = shipping ? new FirelensConfig(`${env}-firelens`, { environment: env, excludedServices: shipping.excludeServices, forceDestroy: !prod, tags }) : undefined;
  const services: Record<string, MicroserviceService> = {};
  for (const s of catalog) {
    const w = wiringFor(s.name, s.uses, i.data);
    const apm = i.apm?.(s.name);
    const alb = s.exposure === "public" ? publicAlb : internalAlb;
    const routing =
      s.exposure === "internal"
        ? { hostHeaders: [`${s.name}.${i.privateZone.name}`] }
        : s.routing.host
          ? { hostHeaders: [`${s.routing.host}.${i.publicZone.name}`] }
          : { hostHeaders: [apiName], pathPatterns: s.routing.paths };
    services[s.name] = new MicroserviceService(`${env}-${s.name}`, {
      environment: env,
      service: s.name,
      cluster: { arn: cluster.clusterArn, name: cluster.clusterName },
      vpcId: network.vpcId,
      subnetIds: network.subnetIds.app,
      securityGroupId: i.groups.ids[s.name]!,
      image: s.image,
      cpu: s.cpu,
      memory: s.memory,
      containerPort: s.port,
      healthCheckPath: s.healthCheckPath,
      environmentVariables: { TILA_ENVIRONMENT: env, TILA_SERVICE: s.name, ...w.environment, ...apm?.environment, ...s.environment },
      secrets: { ...w.secrets, ...apm?.secrets },
      secretKmsKeyArns: [...(Object.keys(w.secrets).length > 0 ? [i.data.key.keyArn] : []), ...(apm?.secretKmsKeyArns ?? [])],
      databaseUserArns: w.databaseUserArns,
      logRetentionDays: settings.logRetentionDays,
      scaling: { ...settings.scaling, ...s.scaling },
      deployment: { minimumHealthyPercent: settings.minimumHealthyPercent, maximumPercent: settings.maximumPercent },
      capacity: { fargateSpot: settings.fargateSpot },
      routing: {
        listenerArn: alb.httpsListenerArn,
        loadBalancerArnSuffix: alb.arnSuffix,
        albSecurityGroupId: alb.securityGroupId,
        priority: s.routing.priority,
        ...routing,
      },
      egress: w.egress,
      ...(shipping && firelens && shipped(s.name)
        ? { logShipping: { host: shipping.host, port: shipping.port, managementCidr: shipping.managementCidr, fallbackRetentionDays: shipping.fallbackRetentionDays, configObjectArn: firelens.configObjectArn } }
        : {}),
      tags,
    });
  }

  const publicNames = new LoadBalancerRecords(`${env}-public-names`, {
    zoneId: i.publicZone.zoneId,
    zoneName: i.publicZone.name,
    hostnames: [apiName, webName],
    target: { dnsName: publicAlb.dnsName, zoneId: publicAlb.zoneId },
    zoneProvider: i.publicZone.provider,
  });
  const internalNames =
    internalServices.length > 0
      ? new LoadBalancerRecords(`${env}-internal-names`, {
          zoneId: i.privateZone.zoneId,
          zoneName: i.privateZone.name,
          hostnames: internalServices.map((s) => `${s.name}.${i.privateZone.name}`),
          target: { dnsName: internalAlb.dnsName, zoneId: internalAlb.zoneId },
        })
      : undefined;

  return {
    parts: { cluster, publicAlb, internalAlb, services, waf, groups: i.groups },
    outputs: {
      publicHostnames: publicNames.fqdns,
      internalHostnames: internalNames?.fqdns ?? [],
      publicAlbDnsName: publicAlb.dnsName,
      webAclArn: waf.webAclArn,
      ecsCluster: cluster.clusterName,
      services: Object.fromEntries(Object.entries(services).map(([n, svc]) => [n, { taskDefinition: svc.taskDefinitionArn, logGroup: svc.logGroupName }])),
    },
  };
}
