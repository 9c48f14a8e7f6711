/** Each family of AWS name rules, with a compliant and a non-compliant name. */
import { expect } from "chai";
import { NAME_RULES, NameRule, ruleCounts, ruleProblems } from "../../../offline/aws/nameRules";

const rule = (type: string, field = "name"): NameRule => {
  const found = NAME_RULES[type]?.find((r) => r.field === field);
  if (!found) throw new Error(`no rule for ${type}.${field}`);
  return found;
};
const ok = (r: NameRule, name: string): void => {
  expect(ruleProblems(r, name), name).to.deep.equal([]);
};
const bad = (r: NameRule, name: string, problem: RegExp): void => {
  expect(ruleProblems(r, name).join("; "), name).to.match(problem);
};

describe("AWS name rules", () => {
  it("cite an AWS page for every rule", () => {
    for (const rules of Object.values(NAME_RULES)) {
      for (const r of rules) expect(r.url, r.label).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
    expect(ruleCounts().rules).to.be.greaterThan(ruleCounts().types - 1);
  });

  it("CloudTrail trails: 3-128 of letters, digits and ._-, alphanumeric ends, no adjacent separators, not an IP", () => {
    const trail = rule("aws:cloudtrail/trail:Trail");
    ok(trail, "tila-management-audit");
    bad(trail, "ab", /is 2 characters/);
    bad(trail, "tila--prod-audit", /no adjacent periods, underscores or dashes/);
    bad(trail, "tila-prod-", /start and end with a letter or number/);
    bad(trail, "10.0.0.1", /IP address format/);
  });

  describe("Elastic Load Balancing", () => {
    it("target groups: at most 32 letters, digits and hyphens, no hyphen at either end", () => {
      const tg = rule("aws:lb/targetGroup:TargetGroup");
      ok(tg, "preprod-recommendations-2f9c1");
      bad(tg, "preprod-recommendations-tg-1a2b3c4", /is 34 characters; AWS allows at most 32/);
      bad(tg, "-cart", /must not begin or end with a hyphen/);
      bad(tg, "cart_tg", /contains "_"/);
    });

    it("load balancers: also must not start with internal-", () => {
      const lb = rule("aws:lb/loadBalancer:LoadBalancer");
      ok(lb, "prod-public-alb-1a2b3c4");
      bad(lb, "internal-api", /must not start with "internal-"/);
    });
  });

  describe("IAM", () => {
    it("roles at most 64, instance profiles and inline policies at most 128, from [\\w+=,.@-]", () => {
      ok(rule("aws:iam/role:Role"), "a".repeat(64));
      bad(rule("aws:iam/role:Role"), "a".repeat(65), /at most 64/);
      ok(rule("aws:iam/instanceProfile:InstanceProfile"), "a".repeat(128));
      bad(rule("aws:iam/rolePolicy:RolePolicy"), "a".repeat(129), /at most 128/);
      bad(rule("aws:iam/role:Role"), "my role", /contains " "/);
    });
  });

  describe("RDS identifiers", () => {
    it("start with a letter, have no double or trailing hyphen, at most 63 (instances) or 255 (snapshots, parameter groups)", () => {
      const id = rule("aws:rds/instance:Instance", "identifier");
      ok(id, "prod-orders-mysql");
      bad(id, "1orders", /must start with a letter/);
      bad(id, "orders--db", /two consecutive hyphens/);
      bad(id, "orders-", /must not end with a hyphen/);
      bad(id, "a".repeat(64), /at most 63/);
      ok(rule("aws:rds/instance:Instance", "finalSnapshotIdentifier"), `prod-orders-final-${"a".repeat(40)}`);
      bad(rule("aws:rds/parameterGroup:ParameterGroup"), "mysql8.0", /contains "."/);
    });

    it("DB subnet groups allow periods, underscores and spaces but not the name default", () => {
      const sg = rule("aws:rds/subnetGroup:SubnetGroup");
      ok(sg, "prod data_subnets.v2");
      bad(sg, "default", /must not be "default"/);
    });
  });

  describe("ElastiCache, OpenSearch, S3", () => {
    it("replication group ids at most 40, starting with a letter", () => {
      const rg = rule("aws:elasticache/replicationGroup:ReplicationGroup", "replicationGroupId");
      ok(rg, "prod-sessions");
      bad(rg, "p".repeat(41), /at most 40/);
    });

    it("OpenSearch domains 3-28 lower-case characters starting with a letter", () => {
      const d = rule("aws:opensearch/domain:Domain", "domainName");
      ok(d, "prod-search");
      bad(d, "Prod-Search", /contains "P", "S"/);
      bad(d, "ab", /at least 3/);
      bad(d, "p".repeat(29), /at most 28/);
    });

    it("S3 buckets follow the DNS rules: 3-63 lower-case, no adjacent periods, no IP form, reserved prefixes and suffixes", () => {
      const b = rule("aws:s3/bucket:Bucket", "bucket");
      ok(b, "prod-alb-logs-1a2b3c4");
      bad(b, "logs..prod", /two adjacent periods/);
      bad(b, "192.168.5.4", /IP address/);
      bad(b, "xn--logs", /must not start with "xn--"/);
      bad(b, "logs-s3alias", /must not end with "-s3alias"/);
      bad(b, "Logs", /contains "L"/);
    });
  });

  describe("logs, secrets, keys, WAF, ECS, security groups, DNS", () => {
    it("log groups up to 512 of [.-_/#A-Za-z0-9]", () => {
      ok(rule("aws:cloudwatch/logGroup:LogGroup"), "/ecs/prod/cart");
      bad(rule("aws:cloudwatch/logGroup:LogGroup"), "/ecs/prod cart", /contains " "/);
    });

    it("secrets up to 512 of ASCII letters, digits and /_+=.@-", () => {
      ok(rule("aws:secretsmanager/secret:Secret"), "prod/data/orders-01234567890123456789012345");
      bad(rule("aws:secretsmanager/secret:Secret"), "prod/data/orders!", /contains "!"/);
    });

    it("KMS aliases begin with alias/ but not alias/aws/", () => {
      const a = rule("aws:kms/alias:Alias");
      ok(a, "alias/prod-data");
      bad(a, "prod-data", /must begin with "alias\/"/);
      bad(a, "alias/aws/s3", /must not start with "alias\/aws\/"/);
    });

    it("WAF web ACLs up to 128 word characters and hyphens", () => {
      ok(rule("aws:wafv2/webAcl:WebAcl"), "prod-public-waf-1a2b3c4");
      bad(rule("aws:wafv2/webAcl:WebAcl"), "prod.public", /contains "."/);
    });

    it("ECS names up to 255 letters, digits, hyphens and underscores", () => {
      ok(rule("aws:ecs/taskDefinition:TaskDefinition", "family"), "prod-cart");
      bad(rule("aws:ecs/service:Service"), "cart/v2", /contains "\/"/);
    });

    it("security groups must not start with sg-", () => {
      ok(rule("aws:ec2/securityGroup:SecurityGroup"), "prod-cart (tasks)");
      bad(rule("aws:ec2/securityGroup:SecurityGroup"), "sg-cart", /must not start with "sg-"/);
    });

    it("Route 53 names at most 255 with labels of at most 63", () => {
      ok(rule("aws:route53/record:Record"), "_a1b2.api.tila.sa.");
      bad(rule("aws:route53/zone:Zone"), `${"a".repeat(64)}.tila.sa`, /label .* longer than 63 bytes/);
    });

    it("alarm and scaling policy names by length (alarms 255, policies 256 printable)", () => {
      bad(rule("aws:cloudwatch/metricAlarm:MetricAlarm"), "a".repeat(256), /at most 255/);
      bad(rule("aws:appautoscaling/policy:Policy"), "cpu\ttarget", /contains "\\t"/);
    });
  });

  describe("incident response and audit reports", () => {
    it("EventBridge rules, Lambda functions and schedules at most 64; SNS topics at most 256, a dot only in .fifo", () => {
      ok(rule("aws:cloudwatch/eventRule:EventRule"), "preprod-incident-securityhub-critical-1a2b3c4");
      bad(rule("aws:cloudwatch/eventRule:EventRule"), "a".repeat(65), /at most 64/);
      bad(rule("aws:cloudwatch/eventRule:EventRule"), "root sign-in", /contains " "/);
      ok(rule("aws:lambda/function:Function"), "tila-preprod-incident-isolation");
      bad(rule("aws:lambda/function:Function"), "tila.prod.isolation", /contains "\."/);
      bad(rule("aws:lambda/function:Function"), "f".repeat(65), /at most 64/);
      ok(rule("aws:scheduler/schedule:Schedule"), "tila-preprod-weekly-audit-report");
      bad(rule("aws:scheduler/schedule:Schedule"), "weekly/audit", /contains "\/"/);
      ok(rule("aws:sns/topic:Topic"), "tila-prod-security");
      ok(rule("aws:sns/topic:Topic"), "alerts.fifo");
      bad(rule("aws:sns/topic:Topic"), "tila.prod", /only in a ".fifo" suffix/);
      bad(rule("aws:sns/topic:Topic"), "t".repeat(257), /at most 256/);
    });
  });
});
