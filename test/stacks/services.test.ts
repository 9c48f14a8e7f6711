import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import type { StackRun } from "../../offline/engine";
import { checkDataTierAdmission } from "../../offline/sgChain";
import { CapturedResource } from "../../offline/types";
import { clientsByDataResource } from "../../stacks/services";
import { descendants, ofType } from "../support/graph";
import { engineWithRealManagement, realStacks } from "../support/realStacks";
import { analyticsUses } from "../../stacks/analytics";
import { AnalyticsSettings, effectiveAnalytics } from "../../config/analyticsSchema";

const ENVS = ["dev", "stage", "preprod", "prod"];
const ROOT = path.resolve(__dirname, "../..");

interface CatalogEntry {
  name: string;
  image: string;
  exposure: "public" | "internal";
  uses: string[];
  routing: { priority: number; paths?: string[]; host?: string };
}

/** What the analytics workers declare in `env` (stacks/analytics.ts analyticsUses), from its stack file. */
function workerUses(env: string): Record<string, string[]> {
  const config = (parseYaml(fs.readFileSync(path.join(ROOT, `Pulumi.${env}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;
  const data = config["tila-platform:data"] as { clusters: { engine: string; name?: string }[] };
  return analyticsUses(effectiveAnalytics(env, config["tila-platform:analytics"] as AnalyticsSettings | undefined).enabled, data.clusters);
}

function catalog(env: string): CatalogEntry[] {
  const doc = parseYaml(fs.readFileSync(path.join(ROOT, `Pulumi.${env}.yaml`), "utf8")) as { config: Record<string, { catalog: CatalogEntry[] }> };
  return doc.config["tila-platform:services"]!.catalog;
}

/** The services of `env` that ship through FireLens, by its stack file's observability.logging.shipping. */
function shippedServices(env: string): Set<string> {
  const doc = parseYaml(fs.readFileSync(path.join(ROOT, `Pulumi.${env}.yaml`), "utf8")) as { config: Record<string, { logging?: { shipping?: { enabled?: boolean; excludeServices?: string[] } } }> };
  const shipping = doc.config["tila-platform:observability"]?.logging?.shipping;
  if (shipping?.enabled !== true) return new Set();
  return new Set(catalog(env).map((s) => s.name).filter((n) => !(shipping.excludeServices ?? []).includes(n)));
}

function serviceParts(run: StackRun, env: string, name: string): CapturedResource[] {
  const svc = ofType(run, "tila:compute:MicroserviceService").find((s) => s.name === `${env}-${name}`);
  if (!svc) throw new Error(`${env}: no service ${name}`);
  return descendants(run, svc);
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

describe("services and edge (real stack configs)", () => {
  let stacks: Record<string, StackRun>;
  before(async () => {
    stacks = await realStacks();
  });

  for (const env of ENVS) {
    describe(env, () => {
      it("runs every catalogue service with its pinned image, a read-only root filesystem, and awslogs or (where the environment ships) FireLens", () => {
        const run = stacks[env]!;
        const shipped = shippedServices(env);
        for (const s of catalog(env)) {
          const [task] = serviceParts(run, env, s.name).filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition");
          const [container, ...others] = JSON.parse(String(task!.inputs.containerDefinitions)) as Record<string, unknown>[];
          expect(container!.image, s.name).to.equal(s.image);
          expect(container!.readonlyRootFilesystem, s.name).to.equal(true);
          expect((container!.logConfiguration as { logDriver: string }).logDriver, s.name).to.equal(shipped.has(s.name) ? "awsfirelens" : "awslogs");
          expect(others.map((c) => c.name), s.name).to.deep.equal(shipped.has(s.name) ? ["log_router"] : []);
        }
      });

      it("grants no wildcard beyond ecr:GetAuthorizationToken, and only the secrets each service uses", () => {
        const run = stacks[env]!;
        for (const s of catalog(env)) {
          const policies = serviceParts(run, env, s.name).filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
          for (const p of policies) {
            const doc = JSON.parse(String(p.inputs.policy)) as { Statement: Statement[] };
            for (const st of doc.Statement) {
              const actions = ([] as string[]).concat(st.Action);
              const resources = ([] as string[]).concat(st.Resource);
              expect(actions.some((a) => a === "*" || a.endsWith(":*")), `${s.name} ${JSON.stringify(st)}`).to.equal(false);
              if (resources.includes("*")) expect(actions, s.name).to.deep.equal(["ecr:GetAuthorizationToken"]);
            }
            // Each service reads its own Redis/OpenSearch user's secret and no master or admin one;
            // MySQL needs no secret at all (IAM authentication). test/stacks/credentials.test.ts
            // evaluates every role against every secret of the stack.
            const secrets = doc.Statement.filter((st) => ([] as string[]).concat(st.Action).includes("secretsmanager:GetSecretValue")).flatMap((st) => ([] as string[]).concat(st.Resource));
            const own = s.uses.filter((u) => ["redis", "opensearch"].includes(u)).map((u) => `${env}-${u === "opensearch" ? "search" : u}-svc-${s.name}-`);
            if (p.inputs.name === "execution") for (const prefix of own) expect(secrets.some((arn) => arn.includes(prefix)), `${s.name} reads ${prefix}`).to.equal(true);
            for (const arn of secrets) expect(own.some((prefix) => arn.includes(prefix)) || !/-(mysql|redis|search)-/.test(arn), `${s.name} must not read ${arn}`).to.equal(true);
            for (const admin of [`${env}-mysql-credential-`, `${env}-redis-admin-`, `${env}-search-master-user-`]) {
              expect(secrets.some((arn) => arn.includes(admin)), `${s.name} must not read ${admin}`).to.equal(false);
            }
          }
        }
      });

      it("scales every service on CPU and on ALB requests per target", () => {
        const run = stacks[env]!;
        for (const s of catalog(env)) {
          const metrics = serviceParts(run, env, s.name)
            .filter((r) => r.type === "aws:appautoscaling/policy:Policy")
            .map((p) => ((p.inputs.targetTrackingScalingPolicyConfiguration as Record<string, Record<string, unknown>>).predefinedMetricSpecification!.predefinedMetricType as string));
          expect(metrics.sort(), s.name).to.deep.equal(["ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization"]);
        }
      });

      it("routes public services on the internet-facing ALB and internal ones on the internal ALB", () => {
        const run = stacks[env]!;
        const lbs = ofType(run, "aws:lb/loadBalancer:LoadBalancer");
        const listeners = ofType(run, "aws:lb/listener:Listener");
        const internalOf = (listenerArn: unknown): boolean | undefined => {
          const l = listeners.find((x) => x.id === listenerArn);
          return lbs.find((lb) => lb.id === l?.inputs.loadBalancerArn)?.inputs.internal as boolean | undefined;
        };
        for (const s of catalog(env)) {
          const [rule] = serviceParts(run, env, s.name).filter((r) => r.type === "aws:lb/listenerRule:ListenerRule");
          expect(rule!.inputs.priority, s.name).to.equal(s.routing.priority);
          expect(internalOf(rule!.inputs.listenerArn), s.name).to.equal(s.exposure === "internal");
          const conditions = JSON.stringify(rule!.inputs.conditions);
          for (const p of s.routing.paths ?? []) expect(conditions, s.name).to.include(p);
          if (s.exposure === "internal") expect(conditions).to.include(`${s.name}.${env}.internal.tila.sa`);
        }
      });

      it("admits to each data resource only the services that declared it", () => {
        const uses = { ...Object.fromEntries(catalog(env).map((s) => [s.name, s.uses])), ...workerUses(env) };
        expect(checkDataTierAdmission(stacks[env]!.resources, env, uses)).to.deep.equal([]);
      });
    });
  }

  it("puts the public ALB behind WAF with HTTPS only and HTTP redirecting", () => {
    const run = stacks.prod!;
    const [pub] = ofType(run, "aws:lb/loadBalancer:LoadBalancer").filter((lb) => lb.inputs.internal !== true);
    const association = ofType(run, "aws:wafv2/webAclAssociation:WebAclAssociation");
    expect(association.map((a) => a.inputs.resourceArn)).to.deep.equal([pub!.id]);
    const listeners = ofType(run, "aws:lb/listener:Listener").filter((l) => l.inputs.loadBalancerArn === pub!.id);
    const http = listeners.find((l) => l.inputs.protocol === "HTTP");
    const https = listeners.find((l) => l.inputs.protocol === "HTTPS");
    expect((http!.inputs.defaultActions as { type: string; redirect?: { protocol: string } }[])[0]).to.deep.include({ type: "redirect" });
    expect(String(https!.inputs.sslPolicy)).to.match(/^ELBSecurityPolicy-TLS13-/);
    expect(pub!.inputs.enableDeletionProtection).to.equal(true);
  });

  it("publishes api and www in the public zone and internal services in the private zone", () => {
    const names = (run: StackRun): string[] => ofType(run, "aws:route53/record:Record").filter((r) => r.inputs.type === "A").map((r) => String(r.inputs.name));
    expect(names(stacks.prod!)).to.include.members(["api.tila.sa", "www.tila.sa", "payments.prod.internal.tila.sa"]);
    expect(names(stacks.dev!)).to.include.members(["api.dev.tila.sa", "www.dev.tila.sa", "payments.dev.internal.tila.sa"]);
  });

  describe("the security-group chain check", () => {
    it("catches a data resource that admits a service which did not declare it", () => {
      const run = stacks.prod!;
      const uses = { ...Object.fromEntries(catalog("prod").map((s) => [s.name, s.uses])), ...workerUses("prod") };
      const groups = ofType(run, "tila:compute:ServiceSecurityGroups")[0]!.outputs.ids as Record<string, string>;
      const mysqlRule = run.resources.find((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.referencedSecurityGroupId === groups.checkout && String(r.urn).includes("MySqlDatabase"));
      expect(mysqlRule, "checkout's rule on mysql").to.not.equal(undefined);
      const leak: CapturedResource = { ...mysqlRule!, urn: `${mysqlRule!.urn}-leak`, name: "leak", inputs: { ...mysqlRule!.inputs, referencedSecurityGroupId: groups.catalog } };
      const open: CapturedResource = { ...mysqlRule!, urn: `${mysqlRule!.urn}-open`, name: "open", inputs: { ...mysqlRule!.inputs, referencedSecurityGroupId: undefined, cidrIpv4: "10.40.0.0/16" } };
      const found = checkDataTierAdmission([...run.resources, leak, open], "prod", uses);
      expect(found.map((v) => v.message)).to.deep.equal(['mysql admits service "catalog", which did not declare it', "mysql admits the address range 10.40.0.0/16; only the services that declared it may connect"]);
    });

    it("catches a declared use the data resource does not admit", () => {
      const run = stacks.prod!;
      const uses = { ...Object.fromEntries(catalog("prod").map((s) => [s.name, s.uses])), ...workerUses("prod") };
      uses.cart = [...uses.cart!, "mongodb"];
      expect(checkDataTierAdmission(run.resources, "prod", uses).map((v) => v.message)).to.deep.equal(['mongodb does not admit service "cart", which declared it']);
    });

    it("maps every declared use to the declaring services' groups", () => {
      expect(clientsByDataResource([{ name: "a", uses: ["mysql", "redis"] }, { name: "b", uses: ["mysql"] }], { a: "sg-a", b: "sg-b" })).to.deep.equal({ mysql: { a: "sg-a", b: "sg-b" }, redis: { a: "sg-a" } });
      expect(() => clientsByDataResource([{ name: "c", uses: [] }], {})).to.throw('no security group for service "c"');
    });
  });

  describe("a hot fix", () => {
    it("changes only the task definition of the service whose image changed", async () => {
      const file = path.join(os.tmpdir(), `tila-hotfix-${process.pid}.yaml`);
      const text = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
      const before = "tila/checkout:1.7.5";
      expect(text).to.include(before);
      fs.writeFileSync(file, text.replace(before, "tila/checkout:1.7.6"));
      try {
        const engine = await engineWithRealManagement({ configFiles: { prod: file } });
        const hotfix = await engine.run("prod");
        const base = new Map(stacks.prod!.resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));
        const changed = hotfix.resources.filter((r) => base.get(r.urn) !== JSON.stringify(r.inputs)).map((r) => `${r.type} ${r.name}`);
        expect(hotfix.resources.map((r) => r.urn).sort()).to.deep.equal([...base.keys()].sort());
        expect(changed).to.deep.equal(["aws:ecs/taskDefinition:TaskDefinition prod-checkout-task"]);
      } finally {
        fs.rmSync(file, { force: true });
      }
    });
  });
});
