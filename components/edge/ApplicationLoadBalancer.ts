/**
 * An Application Load Balancer for the services (docs/services-and-edge.md): the public one in the
 * `public` subnets, or an internal one for service-to-service calls. HTTPS only: the HTTPS listener
 * answers 404 until services add their routing rules to `httpsListenerArn`, and the internet-facing
 * one also listens on 80 for nothing but a 301 to HTTPS. Every decision is in `albPlan.ts`; the
 * access-log bucket is in `accessLogBucket.ts`.
 *
 * Cost: about USD 20/month per load balancer in me-south-1 (USD 0.02772/hour) plus LCUs; access
 * logs add S3 storage for `accessLogs.retentionDays`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAccessLogBucket } from "./accessLogBucket";
import { AlbPlan, HTTPS_PORT, HTTP_PORT, IngressRulePlan, IpAddressType, Scheme, resolveAlb } from "./albPlan";
import { edgeTags } from "./edgeChecks";
import { Tags } from "../tags";

/** What the HTTPS listener answers when no service rule matches. */
const NOT_FOUND_BODY = JSON.stringify({ message: "Not Found" });
/** One year; without includeSubDomains so a plain-HTTP name elsewhere in the domain is not locked out. */
const HSTS = "max-age=31536000";

export interface ApplicationLoadBalancerArgs {
  /** Environment stack (dev, stage, preprod, prod); prod requires deletion protection. */
  readonly environment: string;
  /** `internet-facing` in the public subnets, or `internal` in the app subnets. */
  readonly scheme: Scheme;
  readonly vpcId: pulumi.Input<string>;
  /** The VPC's CIDR: the only destination the load balancer may open connections to. */
  readonly vpcCidr: string;
  /** One subnet per AZ, at least two (EnvironmentNetwork `subnetIds.public` or `.app`). */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** Certificate of the HTTPS listener, e.g. DnsValidatedCertificate `certificateArn`. */
  readonly certificateArn: pulumi.Input<string>;
  /** A TLS 1.2-floor policy (`ELBSecurityPolicy-TLS13-1-2-*` or `-1-3-*`). @default DEFAULT_SSL_POLICY (TLS 1.3 + 1.2, post-quantum hybrid) */
  readonly sslPolicy?: string;
  /** `dualstack` needs IPv6 CIDRs on the VPC and subnets, which EnvironmentNetwork does not assign today. @default "ipv4" */
  readonly ipAddressType?: IpAddressType;
  /**
   * Who may connect. Internet-facing: typically `cidrs: ["0.0.0.0/0"]` (and `ipv6Cidrs: ["::/0"]`
   * when dual-stack), admitted on 443 and on 80 (redirect only). Internal: the callers' security
   * groups, on 443 only; `/0` ranges are rejected.
   */
  readonly ingress: {
    /** IPv4 ranges. @default [] */
    readonly cidrs?: readonly string[];
    /** IPv6 ranges; dual-stack only. @default [] */
    readonly ipv6Cidrs?: readonly string[];
    /** Security groups by a label that names the rule. @default {} */
    readonly securityGroupIds?: Readonly<Record<string, pulumi.Input<string>>>;
  };
  /** Ports the targets listen on; egress goes only there, only inside `vpcCidr`. */
  readonly targetPorts: readonly number[];
  /** Refuse deletion through the API; required in prod. A protected load balancer also keeps its log bucket on destroy. */
  readonly deletionProtection: boolean;
  /** Access logs to a dedicated bucket; objects expire after `retentionDays`. */
  readonly accessLogs: { readonly retentionDays: number };
  /** Seconds an idle connection stays open. @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

export class ApplicationLoadBalancer extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  /** `app/<name>/<id>`: the CloudWatch `LoadBalancer` dimension. */
  readonly arnSuffix: pulumi.Output<string>;
  readonly dnsName: pulumi.Output<string>;
  /** Hosted zone of `dnsName`, for Route 53 alias records. */
  readonly zoneId: pulumi.Output<string>;
  /** Services admit this group on their target ports. */
  readonly securityGroupId: pulumi.Output<string>;
  /** Services attach their listener rules here. */
  readonly httpsListenerArn: pulumi.Output<string>;
  /** Name of the access-log bucket. */
  readonly accessLogBucket: pulumi.Output<string>;
  /** ARN of the access-log bucket (the log shipper reads it). */
  readonly accessLogBucketArn: pulumi.Output<string>;
  /** Where ELB writes in that bucket: `<prefix>/AWSLogs/<account>/elasticloadbalancing/...`. */
  readonly accessLogPrefix: string;

  constructor(name: string, args: ApplicationLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:edge:ApplicationLoadBalancer", name, {}, opts);
    const plan = this.resolve(name, args);
    // `Scheme` lets the policy pack tell the public ALB's world-open rules from anything else.
    const scheme = plan.internal ? "internal" : "internet-facing";
    const tags = (role: string): Record<string, string> => ({ ...edgeTags(args.tags, `${name}-${role}`), Scheme: scheme });
    const parent = { parent: this };

    const sg = this.securityGroup(name, args, plan, tags);
    const logs = createAccessLogBucket({
      name,
      prefix: plan.logPrefix,
      retentionDays: plan.logRetentionDays,
      forceDestroy: plan.forceDestroyLogs,
      tags,
      parent: this,
    });

    const lb = new aws.lb.LoadBalancer(`${name}-alb`, {
      loadBalancerType: "application",
      internal: plan.internal,
      ipAddressType: plan.ipAddressType,
      subnets: [...args.subnetIds],
      securityGroups: [sg.id],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "strictest",
      enableDeletionProtection: args.deletionProtection,
      idleTimeout: plan.idleTimeoutSeconds,
      accessLogs: { bucket: logs.bucket.bucket, prefix: plan.logPrefix, enabled: true },
      tags: tags("alb"),
    }, { parent: this, dependsOn: [logs.policy] });

    const https = new aws.lb.Listener(`${name}-https`, {
      loadBalancerArn: lb.arn,
      port: HTTPS_PORT,
      protocol: "HTTPS",
      sslPolicy: plan.sslPolicy,
      certificateArn: args.certificateArn,
      routingHttpResponseServerEnabled: false,
      routingHttpResponseStrictTransportSecurityHeaderValue: plan.internal ? undefined : HSTS,
      defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "application/json", messageBody: NOT_FOUND_BODY, statusCode: "404" } }],
      tags: tags("https"),
    }, parent);

    if (plan.httpRedirect) {
      new aws.lb.Listener(`${name}-http`, {
        loadBalancerArn: lb.arn,
        port: HTTP_PORT,
        protocol: "HTTP",
        defaultActions: [{
          type: "redirect",
          redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), host: "#{host}", path: "/#{path}", query: "#{query}", statusCode: "HTTP_301" },
        }],
        tags: tags("http"),
      }, parent);
    }

    this.arn = lb.arn;
    this.arnSuffix = lb.arnSuffix;
    this.dnsName = lb.dnsName;
    this.zoneId = lb.zoneId;
    this.securityGroupId = sg.id;
    this.httpsListenerArn = https.arn;
    this.accessLogBucket = logs.bucket.bucket;
    this.accessLogBucketArn = logs.bucket.arn;
    this.accessLogPrefix = plan.logPrefix;
    this.registerOutputs({
      arn: this.arn,
      arnSuffix: this.arnSuffix,
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      securityGroupId: this.securityGroupId,
      httpsListenerArn: this.httpsListenerArn,
      accessLogBucket: this.accessLogBucket,
      accessLogBucketArn: this.accessLogBucketArn,
      accessLogPrefix: this.accessLogPrefix,
    });
  }

  /**
   * Rules are separate resources, each described, so adding a caller never rewrites the others.
   * Without inline rules the provider also removes AWS's default allow-all egress.
   */
  private securityGroup(name: string, args: ApplicationLoadBalancerArgs, plan: AlbPlan, tags: (role: string) => Record<string, string>): aws.ec2.SecurityGroup {
    const parent = { parent: this };
    const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
      vpcId: args.vpcId,
      description: plan.internal ? `Internal ALB ${name}: HTTPS from named callers` : `Public ALB ${name}: HTTPS, and HTTP for the redirect`,
      tags: tags("sg"),
    }, parent);
    const groups = args.ingress.securityGroupIds ?? {};
    const source = (rule: IngressRulePlan): { cidrIpv4?: string; cidrIpv6?: string; referencedSecurityGroupId?: pulumi.Input<string> } => {
      const s = rule.source;
      if (s.kind === "ipv4") return { cidrIpv4: s.cidr };
      if (s.kind === "ipv6") return { cidrIpv6: s.cidr };
      return { referencedSecurityGroupId: groups[s.label] };
    };
    for (const rule of plan.ingress) {
      new aws.vpc.SecurityGroupIngressRule(`${name}-ingress-${rule.key}`, {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: rule.port,
        toPort: rule.port,
        ...source(rule),
        description: rule.description,
        tags: tags(`ingress-${rule.key}`),
      }, parent);
    }
    for (const port of plan.egressPorts) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-egress-${port}`, {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: args.vpcCidr,
        description: `Targets and health checks on ${port} inside the VPC`,
        tags: tags(`egress-${port}`),
      }, parent);
    }
    return sg;
  }

  private resolve(name: string, args: ApplicationLoadBalancerArgs): AlbPlan {
    const r = resolveAlb(name, {
      ...args,
      subnetCount: args.subnetIds.length,
      ingress: { cidrs: args.ingress.cidrs, ipv6Cidrs: args.ingress.ipv6Cidrs, securityGroupLabels: Object.keys(args.ingress.securityGroupIds ?? {}) },
    });
    if (!r.ok) throw new pulumi.ResourceError(`ApplicationLoadBalancer "${name}": ${r.issues.join("; ")}`, this);
    return r.value;
  }
}
