/**
 * The arguments of a MicroserviceService, apart from the component so that its planner
 * (servicePlan.ts) and network rules (serviceNetwork.ts) can read them without importing the
 * component that imports them. Types only.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../tags";

/** The CPU architecture of a service's tasks (Fargate's runtimePlatform.cpuArchitecture). */
export type CpuArchitecture = "ARM64" | "X86_64";

export interface MicroserviceServiceArgs {
  /** Environment name (`dev` ... `prod`); prod and preprod get the highly available rules. */
  readonly environment: string;
  /** Service name, e.g. `checkout`: the ECS service name, container name and `Service` tag. */
  readonly service: string;
  /** The environment's EcsCluster (`clusterArn`, `clusterName`). */
  readonly cluster: { readonly arn: pulumi.Input<string>; readonly name: pulumi.Input<string> };
  /** The environment VPC (for the target group). */
  readonly vpcId: pulumi.Input<string>;
  /** App-tier subnets, one per AZ; tasks never get public IPs. At least 2 in prod and preprod. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** This service's group from ServiceSecurityGroups; the rules below are added to it. */
  readonly securityGroupId: pulumi.Input<string>;
  /** Immutable image: a digest, a full semantic version tag or a git SHA tag (see imageRule.ts). */
  readonly image: string;
  /** Task CPU units (1024 = 1 vCPU); with memory, a Fargate size (fargateSizes.ts). Cost scales with both. */
  readonly cpu: number;
  /** Task memory in MiB. */
  readonly memory: number;
  /** Port the container listens on; 1024 or above, since the process is not root. */
  readonly containerPort: number;
  /** Path the ALB probes; it should answer 2xx without calling dependencies. */
  readonly healthCheckPath: string;
  /** Plain configuration, never credentials. @default {} */
  readonly environmentVariables?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Env var name -> Secrets Manager secret (complete ARN) and optional JSON key. @default {} */
  readonly secrets?: Readonly<Record<string, { readonly secretArn: pulumi.Input<string>; readonly jsonKey?: string }>>;
  /** Customer-managed keys of those secrets; the execution role may decrypt with these only. @default [] */
  readonly secretKmsKeyArns?: readonly pulumi.Input<string>[];
  /**
   * The service's own IAM database users (`rds-db:connect` ARNs, see MySqlDatabase.serviceAccess):
   * the task role may connect as exactly these. @default [] (the task role has no policy)
   */
  readonly databaseUserArns?: readonly pulumi.Input<string>[];
  /** Days to keep the service's logs; a CloudWatch Logs retention value. */
  readonly logRetentionDays: number;
  /** Task count bounds and the two target-tracking targets. */
  readonly scaling: {
    readonly min: number;
    readonly max: number;
    /** Average CPU the autoscaler holds the service at. */
    readonly cpuTargetPercent: number;
    /** ALB requests per task per minute the autoscaler holds the service at. */
    readonly requestsPerTarget: number;
  };
  /** Rolling deployment bounds; 100% minimum healthy in prod and preprod. */
  readonly deployment: { readonly minimumHealthyPercent: number; readonly maximumPercent: number };
  /** Spot for part of the tasks; the cluster must allow it, and prod never does. */
  readonly capacity: { readonly fargateSpot: boolean };
  /** Where the service is reached: a rule on the public or the internal ALB's HTTPS listener. */
  readonly routing: {
    readonly listenerArn: pulumi.Input<string>;
    /** `app/<name>/<id>` of the ALB, for the ALBRequestCountPerTarget resource label. */
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    /** The ALB's security group: admitted to containerPort, and given egress to this service on it. */
    readonly albSecurityGroupId: pulumi.Input<string>;
    /** Unique per listener; the caller assigns it so that adding a service never renumbers others. */
    readonly priority: number;
    /** @default [] (then hostHeaders is required) */
    readonly pathPatterns?: readonly string[];
    /** @default [] (then pathPatterns is required) */
    readonly hostHeaders?: readonly string[];
  };
  /**
   * The data services this service declared, by label (`mysql`, `kafka`, ...), with their security
   * groups and ports. Egress is only to these, plus 443 anywhere for ECR, AWS APIs and HTTPS
   * partners (through the central endpoints or NAT). DNS to the VPC resolver is not subject to
   * security groups. @default []
   */
  readonly egress?: readonly { readonly label: string; readonly securityGroupId: pulumi.Input<string>; readonly ports: readonly number[] }[];
  /**
   * `uid[:gid]` the container runs as, never root. Images must let this user read the app and, with
   * the read-only root filesystem, write only to `/tmp` (declare `VOLUME /tmp` with mode 1777 in
   * the Dockerfile: Fargate copies it into the task's scratch volume). @default "1000:1000"
   */
  readonly user?: string;
  /** Graviton is about 20% cheaper per vCPU-hour; images must be built for it (multi-arch). @default "ARM64" */
  readonly cpuArchitecture?: CpuArchitecture;
  /** Seconds after a task starts before failing ALB health checks count against it. @default 60 */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Ship the container's stdout and stderr through FireLens (firelens.ts) to Graylog over GELF/TLS,
   * keeping a CloudWatch copy for `fallbackRetentionDays` in the service's log group (which then
   * replaces `logRetentionDays`). @default undefined (awslogs only)
   */
  readonly logShipping?: {
    /** Graylog's name in the environment's private zone. */
    readonly host: string;
    /** GELF over TLS (12201). */
    readonly port: number;
    /** Management's CIDR: the service's group opens `port` towards it only. */
    readonly managementCidr: string;
    /** Days of the CloudWatch copy; a CloudWatch Logs retention value. */
    readonly fallbackRetentionDays: number;
    /** The environment's FirelensConfig object ARN. */
    readonly configObjectArn: pulumi.Input<string>;
  };
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` (this service) and `Name` are set here. */
  readonly tags: Tags;
}
