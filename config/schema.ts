/**
 * The typed shape of every stack's configuration (`Pulumi.<stack>.yaml`, namespace
 * `tila-platform`). One zod schema per key; objects are strict so a misspelt key is an error rather
 * than a silently ignored setting. Cross-field rules live in `validate.ts`.
 */
import { z } from "zod";
import { observabilitySchema } from "./observabilitySchema";
import { costSchema } from "./costSchema";
import { deliverySchema } from "./deliverySchema";
import { analyticsSchema } from "./analyticsSchema";
import { DEFAULT_CENTRAL_ENDPOINT_SERVICES } from "../components/network/endpointNames";
import { LOG_RETENTION_VALUES } from "../components/compute/servicePlan";
import { DEFAULT_AUDIT_SCHEDULE, DEFAULT_AUDIT_TIMEZONE, DEFAULT_GUARDDUTY_SEVERITY } from "../components/security/incident/patterns";

export const PROJECT = "tila-platform";
/** Bahrain: the AWS region closest to Riyadh and Jeddah. */
export const DEFAULT_REGION = "me-south-1";
export { ENVIRONMENTS, HA_ENVIRONMENTS, STACKS, isHaEnvironment } from "../components/environments";
export type { EnvironmentName, StackName } from "../components/environments";

const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR such as 10.10.0.0/16");
const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id");
const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "must be lower-case letters, digits and dashes, starting with a letter");

export const tagsSchema = z.strictObject({
  Owner: z.string().min(1),
  CostCenter: z.string().min(1),
});

export const flowLogsSchema = z.strictObject({
  destination: z.enum(["cloudwatch", "s3"]),
  retentionDays: z.number().int().min(1).max(3653),
  trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
});

export const networkSchema = z.strictObject({
  cidr,
  azCount: z.number().int().min(1).max(4),
  /**
   * Explicit AZ IDs (`mes1-az1`): the same physical zone in every account, unlike AZ names, so the
   * hub's and the spokes' Transit Gateway attachments share zones. Default: the IDs of the region's
   * first `azCount` zones by name (`<region>a`, `b`, ...).
   */
  availabilityZoneIds: z.array(z.string().regex(/^[a-z]+\d+-az\d+$/, "must be an AZ ID such as mes1-az1 (AZ names such as me-south-1a differ per account)")).optional(),
  natStrategy: z.enum(["perAz", "single", "none"]),
  flowLogs: flowLogsSchema,
  /** Interface endpoints: `central` uses management's shared endpoints, `local` creates them in this VPC. */
  endpoints: z.enum(["central", "local"]).default("central"),
});

export const officeDeviceSchema = z.strictObject({
  name,
  ipAddress: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, "must be the device's public IPv4 address"),
  bgpAsn: z.number().int().min(1).max(4294967294),
});

export const officeSchema = z.strictObject({
  name,
  cidrs: z.array(cidr).min(1),
  /** Environments this office may reach; prod is deliberately not a default. */
  allowedEnvironments: z.array(z.string()).default([]),
  devices: z.array(officeDeviceSchema).length(2, "each office needs exactly two customer gateway devices (one VPN connection each)"),
});

export const transitSchema = z.strictObject({
  amazonSideAsn: z.number().int().min(64512).max(65534).default(64512),
});

/** The hub's interface endpoints; one list, owned by the endpoint naming module. */
export const DEFAULT_ENDPOINT_SERVICES = DEFAULT_CENTRAL_ENDPOINT_SERVICES;

export const endpointsSchema = z.strictObject({
  services: z.array(z.string()).min(1).default([...DEFAULT_ENDPOINT_SERVICES]),
});

export const dnsSchema = z.strictObject({
  domain: z.string().regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, "must be a domain name such as tila.sa"),
});

export const ENGINE_VALUES = ["arangodb", "mongodb", "aerospike", "couchbase", "solr", "kafka", "zookeeper"] as const;

export const clusterSchema = z.strictObject({
  /** Cluster name, unique in the stack; also the DNS prefix of its nodes. @default the engine name */
  name: name.optional(),
  engine: z.enum(ENGINE_VALUES),
  /** @default the engine profile's default (the smallest count that survives losing one AZ of 3) */
  nodes: z.number().int().min(1).max(64).optional(),
  instanceType: z.string().optional(),
  volumeGiB: z.number().int().min(10).max(16384).optional(),
});

export const mysqlSchema = z.strictObject({
  instanceClass: z.string().optional(),
  allocatedStorageGiB: z.number().int().min(20).max(65536).optional(),
  maxAllocatedStorageGiB: z.number().int().min(20).max(65536).optional(),
  multiAz: z.boolean().optional(),
  backupRetentionDays: z.number().int().min(1).max(35).optional(),
  deletionProtection: z.boolean().optional(),
  databaseName: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/).optional(),
});

export const redisSchema = z.strictObject({
  nodeType: z.string().optional(),
  numCacheClusters: z.number().int().min(1).max(6).optional(),
  snapshotRetentionDays: z.number().int().min(0).max(35).optional(),
});

export const searchSchema = z.strictObject({
  availabilityZoneCount: z.number().int().min(1).max(3).optional(),
  dataNodeType: z.string().optional(),
  dataNodeCount: z.number().int().min(1).max(80).optional(),
  dedicatedMasterCount: z.number().int().min(0).max(5).optional(),
  dedicatedMasterType: z.string().optional(),
  volumeSizeGiB: z.number().int().min(10).max(16384).optional(),
  /** Create the account's OpenSearch service-linked role; exactly one stack per account sets it. */
  createServiceLinkedRole: z.boolean().default(false),
});

/** The data tier of an environment (docs/data-tier.md). */
export const dataSchema = z.strictObject({
  clusters: z.array(clusterSchema).default([]),
  /** Daily EBS snapshots of every cluster data volume are kept this many days. */
  snapshotRetentionDays: z.number().int().min(1).max(1000),
  mysql: mysqlSchema.optional(),
  redis: redisSchema.optional(),
  opensearch: searchSchema.optional(),
});

/** Data resources a service may declare it uses: cluster names plus the managed services. */
export const MANAGED_DATA_SERVICES = ["mysql", "redis", "opensearch"] as const;

export const scalingSchema = z.strictObject({
  /** At least 1: both scaling metrics come from running tasks, so a service at 0 never scales out. */
  min: z.number().int().min(1).max(1000),
  max: z.number().int().min(1).max(1000),
  cpuTargetPercent: z.number().int().min(10).max(95),
  requestsPerTarget: z.number().int().min(1).max(100000),
});

export const serviceSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,24}$/, "must be lower-case letters, digits and dashes (at most 25), starting with a letter"),
  /** Container image with an immutable tag or digest; `latest` is refused. */
  image: z.string().min(1),
  cpu: z.number().int(),
  memory: z.number().int(),
  /** Unprivileged: tasks run as a non-root user with every Linux capability dropped. */
  port: z.number().int().min(1024).max(65535).default(8080),
  healthCheckPath: z.string().regex(/^\//, "must start with /").default("/health"),
  /** `public`: on the internet-facing ALB (api/www hostnames); `internal`: on the internal ALB only. */
  exposure: z.enum(["public", "internal"]),
  /**
   * Public services route by path on the API hostname, or by a host label (`www`); internal services
   * route by host `<name>.<env>.internal.<domain>`. Priority is explicit so that adding a service never
   * renumbers the others' listener rules.
   */
  routing: z.strictObject({
    priority: z.number().int().min(1).max(50000),
    paths: z.array(z.string().regex(/^\/[A-Za-z0-9_\-./*?]*$/, "must be a URL path pattern such as /cart/*")).optional(),
    host: z.string().regex(/^[a-z0-9-]+$/, "must be a host label such as www").optional(),
  }),
  /** The data resources this service talks to: cluster names and mysql, redis, opensearch. */
  uses: z.array(z.string()).default([]),
  /** The Kafka topics this service publishes: the analytics lake ingests only topics some service produces. */
  produces: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, "must be a Kafka topic name: lower-case letters, digits and dashes")).default([]),
  environment: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name"), z.string()).default({}),
  /** Overrides of the environment-wide `services.scaling`. */
  scaling: scalingSchema.partial().optional(),
});

export const servicesSchema = z.strictObject({
  /** Fargate Spot for part of the tasks (never in prod). */
  fargateSpot: z.boolean().default(false),
  logRetentionDays: z.number().int().min(1).max(3653),
  /** 100 in prod: a deployment never drops below the running count. */
  minimumHealthyPercent: z.number().int().min(0).max(100),
  maximumPercent: z.number().int().min(100).max(200).default(200),
  /** Defaults for every service; each may override. */
  scaling: scalingSchema,
  catalog: z.array(serviceSchema).min(1),
});

export const edgeSchema = z.strictObject({
  /** Host labels under the environment's public domain: `api` (web, Android, iOS clients) and `www`. */
  apiHost: z.string().regex(/^[a-z0-9-]+$/).default("api"),
  webHost: z.string().regex(/^[a-z0-9-]+$/).default("www"),
  accessLogRetentionDays: z.number().int().min(1).max(3653),
  waf: z.strictObject({
    rateLimit: z.number().int().min(10).max(2000000000),
    rateWindowSeconds: z.union([z.literal(60), z.literal(120), z.literal(300), z.literal(600)]).default(300),
    blockCountries: z.array(z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166 alpha-2 code")).optional(),
    logRetentionDays: z.number().int().min(1).max(3653),
  }),
});

/** A Git ref GitLab CI may deploy a stack from: a protected branch or tag (a `*` pattern where GitLab protects patterns). */
export const deployRefSchema = z.strictObject({
  type: z.enum(["branch", "tag"]),
  name: z.string().regex(/^[A-Za-z0-9._/*-]{1,255}$/, "must be a branch or tag name (letters, digits, . _ / - and * for a protected pattern)"),
});

/** The CI system that deploys: GitLab, through its OIDC ID tokens (docs/security.md#deploy-roles-and-people). */
export const gitlabSchema = z.strictObject({
  url: z.string().regex(/^https:\/\/[a-z0-9.-]+$/, "must be the GitLab instance URL, https://<host> without a path").default("https://gitlab.com"),
  /** The `aud` the pipeline's `id_tokens` requests; the provider's client id. */
  audience: z.string().min(1).max(255).default("sts.amazonaws.com"),
  projectPath: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, "must be <group>/<project> (subgroups allowed)"),
  deployRefs: z.array(deployRefSchema).min(1),
});

const principalPattern = z.string().regex(/^(role|user)\/[\w+=,.@/*?-]+$/, "must be an IAM name pattern in the stack's account, role/<path/name> or user/<path/name>");
const managedPolicyArn = z.string().regex(/^arn:aws:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/, "must be an IAM managed policy ARN");

/** The security baseline of every stack (docs/security.md). */
const securityShape = {
  gitlab: gitlabSchema,
  /** CloudWatch Logs retention of the trail's log group (a CloudWatch retention value). */
  trailLogRetentionDays: z
    .number()
    .int()
    .refine((d) => LOG_RETENTION_VALUES.includes(d), `must be a CloudWatch Logs retention (${LOG_RETENTION_VALUES.join(", ")})`)
    .default(365),
  /** Managed policies of the stack's deploy role, on top of its inline deploy policy built in code (docs/security.md#the-deploy-policy). */
  deployPolicyArns: z.array(managedPolicyArn).default([]),
  /** This account's principals (name patterns) that may assume the auditor role: the Identity Center audit permission set by default. */
  auditorPrincipals: z.array(principalPattern).min(1).default(["role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecurityAudit_*"]),
  /** This account's principals (name patterns) that may assume the break-glass role, with MFA: sealed IAM users by default. */
  breakGlassPrincipals: z.array(principalPattern).min(1).default(["user/break-glass-*"]),
  /** Managed policies of the break-glass role besides AdministratorAccess, which the code attaches (docs/security.md#deploy-roles-and-people). */
  breakGlassPolicyArns: z.array(managedPolicyArn).default([]),
  /**
   * The DIY S3 backend holding the Pulumi state, which the stack's read-only preview role may read
   * (its own and management's checkpoints only; docs/security.md#the-preview-role). Unset: the
   * preview role reads no state, so a merge request cannot preview this stack.
   */
  stateBackend: z.strictObject({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name"),
    /** The backend's key prefix inside the bucket (`s3://<bucket>/<prefix>`). */
    prefix: z.string().regex(/^[A-Za-z0-9!_.*'()/-]*$/, "must be an S3 key prefix").default(""),
    /** The customer-managed KMS key the bucket encrypts objects with, if any. */
    keyArn: z.string().regex(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, "must be a KMS key ARN").optional(),
  }).optional(),
};
export const securitySchema = z.strictObject(securityShape);
export const managementSecuritySchema = z.strictObject({
  ...securityShape,
  logArchive: z.strictObject({
    /** Object-lock retention (governance mode) of every trail log file, days. */
    retentionDays: z.number().int().min(1).max(36500).default(365),
    /** Server access logs of the archive and superseded AWS Config history, days. */
    accessLogRetentionDays: z.number().int().min(1).max(3653).default(365),
  }).prefault({}),
  /** The e-mail of each environment account (GuardDuty's member invitation requires one). */
  memberEmails: z.record(z.string(), z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/, "must be an e-mail address")).default({}),
});

/** Incident response and the weekly audit report of every stack (docs/security.md#incident-response). */
export const incidentResponseSchema = z
  .strictObject({
    /** Who receives security alerts and the audit summaries: one e-mail subscription each (each confirms once). */
    notificationEmails: z.array(z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/, "must be an e-mail address")).default([]),
    /** GuardDuty findings at or above this severity alert and are isolated (1-10; 7 = high and critical). */
    guardDutySeverityThreshold: z.number().min(1).max(10).default(DEFAULT_GUARDDUTY_SEVERITY),
    /** The isolation Lambda records and publishes what it would do, changing nothing: the first rollout. */
    dryRun: z.boolean().default(true),
    /** Log retention of the isolation and audit-report Lambdas (a CloudWatch Logs retention value). */
    logRetentionDays: z
      .number()
      .int()
      .refine((d) => LOG_RETENTION_VALUES.includes(d), `must be a CloudWatch Logs retention (${LOG_RETENTION_VALUES.join(", ")})`)
      .default(365),
    auditReport: z
      .strictObject({
        /** EventBridge Scheduler expression of the report run. */
        schedule: z.string().regex(/^(cron\(.+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/, "must be cron(...) or rate(...)").default(DEFAULT_AUDIT_SCHEDULE),
        /** IANA time zone of `schedule`. */
        timezone: z.string().regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, "must be an IANA time zone such as Asia/Riyadh").default(DEFAULT_AUDIT_TIMEZONE),
      })
      .prefault({}),
  })
  .prefault({});

/** Keys every stack has. */
const common = {
  observability: observabilitySchema,
  accountId,
  tags: tagsSchema,
  network: networkSchema,
  dns: dnsSchema,
  incidentResponse: incidentResponseSchema,
  /**
   * `multi`: every stack in an account of its own (the default, and the only mode in which one
   * environment's credentials cannot act on another's); `single`: every stack in management's
   * account, chosen in every stack file (docs/configuration.md#accounts).
   */
  accountMode: z.enum(["multi", "single"]).default("multi"),
  /** Monthly budget and usage assumptions of the cost estimate (config/costSchema.ts, docs/cost.md). */
  cost: costSchema,
};

export const managementConfigSchema = z.strictObject({
  ...common,
  transit: transitSchema.default({ amazonSideAsn: 64512 }),
  offices: z.array(officeSchema).default([]),
  endpoints: endpointsSchema.default({ services: [...DEFAULT_ENDPOINT_SERVICES] }),
  security: managementSecuritySchema,
  /** The service pipelines: CodePipeline per service, Jenkins' publishing role, approvers (config/deliverySchema.ts, docs/delivery.md). */
  delivery: deliverySchema.optional(),
});

export const environmentConfigSchema = z.strictObject({
  ...common,
  /** Fully qualified name of the management stack, `<org>/tila-platform/management`. */
  managementStack: z.string(),
  security: securitySchema,
  /**
   * Role in the management account that this stack assumes for hub-side resources, required when
   * `accountId` differs from management's: `arn:aws:iam::<management account>:role/tila-platform-hub-<stack>`,
   * the role the management stack creates for this environment (components/security/hubIdentity.ts).
   */
  hubRoleArn: z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN").optional(),
  data: dataSchema,
  services: servicesSchema,
  edge: edgeSchema,
  /** The analytics lake: Kafka to S3, Glue and Athena (config/analyticsSchema.ts, docs/analytics.md). */
  analytics: analyticsSchema.optional(),
});

export type ManagementConfigInput = z.input<typeof managementConfigSchema>;
export type ManagementSettings = z.output<typeof managementConfigSchema>;
export type EnvironmentSettings = z.output<typeof environmentConfigSchema>;
export type NetworkSettings = z.output<typeof networkSchema>;
export type OfficeSettings = z.output<typeof officeSchema>;
export type DataSettings = z.output<typeof dataSchema>;
export type ClusterSettings = z.output<typeof clusterSchema>;
export type ServicesSettings = z.output<typeof servicesSchema>;
export type ServiceSettings = z.output<typeof serviceSchema>;
export type EdgeSettings = z.output<typeof edgeSchema>;
export type IncidentResponseSettings = z.output<typeof incidentResponseSchema>;
export type SecuritySettings = z.output<typeof securitySchema>;
export type ManagementSecuritySettings = z.output<typeof managementSecuritySchema>;
export type ObservabilitySettings = z.output<typeof observabilitySchema>;
