import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import type { StackRun } from "../../offline/engine";
import { credentialReaders, grants, rolePolicies } from "../../offline/secretAccess";
import { CapturedResource } from "../../offline/types";
import { realStacks } from "../support/realStacks";

const ENVS = ["dev", "stage", "preprod", "prod"];
const ROOT = path.resolve(__dirname, "../..");
/** Cluster engines whose bootstrap creates users; the others (Kafka, Solr, Aerospike, ZooKeeper) have no authentication to scope. */
const ENGINES_WITH_USERS = ["mongodb", "arangodb", "couchbase"];

interface StackFile {
  services: { name: string; uses: string[] }[];
  clusters: { name: string; engine: string }[];
  /** New Relic's agents run on every service: each execution role also reads the stack's one license secret (docs/observability-apm.md). */
  newRelicAgents: boolean;
}

function stackFile(env: string): StackFile {
  const doc = parseYaml(fs.readFileSync(path.join(ROOT, `Pulumi.${env}.yaml`), "utf8")) as { config: Record<string, unknown> };
  const services = (doc.config["tila-platform:services"] as { catalog: { name: string; uses?: string[] }[] }).catalog.map((s) => ({ name: s.name, uses: s.uses ?? [] }));
  const clusters = (doc.config["tila-platform:data"] as { clusters?: { name?: string; engine: string }[] }).clusters ?? [];
  const newRelic = ((doc.config["tila-platform:observability"] as { apm?: { newRelic?: { enabled?: boolean; agents?: boolean } } } | undefined)?.apm?.newRelic) ?? {};
  return { services, clusters: clusters.map((c) => ({ name: c.name ?? c.engine, engine: c.engine })), newRelicAgents: newRelic.enabled === true && newRelic.agents !== false };
}

/** The secrets (by logical name) and MySQL user a service must be able to use: its own, and nothing else. */
function ownCredentials(env: string, file: StackFile, service: { name: string; uses: string[] }): { secrets: string[]; mysqlUser?: string } {
  const secrets: string[] = [];
  for (const u of service.uses) {
    if (u === "redis") secrets.push(`${env}-redis-svc-${service.name}-secret`);
    else if (u === "opensearch") secrets.push(`${env}-search-svc-${service.name}-secret`);
    else if (file.clusters.some((c) => c.name === u && ENGINES_WITH_USERS.includes(c.engine))) secrets.push(`${env}-${u}-svc-${service.name}-secret`);
  }
  if (file.newRelicAgents) secrets.push(`${env}-newrelic-secret`);
  return { secrets: secrets.sort(), ...(service.uses.includes("mysql") ? { mysqlUser: `svc_${service.name.replace(/-/g, "_")}` } : {}) };
}

/**
 * Every way a service's execution or task role reaches a credential that is not its own (or misses
 * its own), judged from the captured IAM policies of the whole stack.
 */
function credentialProblems(resources: readonly CapturedResource[], env: string, file: StackFile): string[] {
  const problems: string[] = [];
  const { lines, problems: unknown } = credentialReaders(resources);
  problems.push(...unknown);
  const roles = new Map(rolePolicies(resources).map((r) => [r.role, r]));
  const secrets = lines.filter((l) => l.kind === "secret");
  const instance = resources.find((r) => r.type === "aws:rds/instance:Instance");
  const dbiPrefix = instance ? `arn:aws:rds-db:${String(instance.outputs.arn).split(":")[3]}:${String(instance.outputs.arn).split(":")[4]}:dbuser:${String(instance.outputs.resourceId)}` : undefined;
  const mysqlUsers = [...new Set(file.services.filter((s) => s.uses.includes("mysql")).map((s) => `svc_${s.name.replace(/-/g, "_")}`)), "dbadmin", "svc_someone_else"];
  for (const service of file.services) {
    const own = ownCredentials(env, file, service);
    for (const kind of ["execution", "task"] as const) {
      const roleName = `${env}-${service.name}-${kind}-role`;
      const role = roles.get(roleName);
      if (!role) {
        problems.push(`${roleName}: no such role`);
        continue;
      }
      const readable = secrets.filter((s) => grants(role.documents, "secretsmanager:GetSecretValue", s.arn)).map((s) => s.credential).sort();
      const expected = kind === "execution" ? own.secrets : [];
      if (JSON.stringify(readable) !== JSON.stringify(expected)) problems.push(`${roleName} reads [${readable.join(", ")}], expected [${expected.join(", ")}]`);
      if (dbiPrefix !== undefined) {
        const connects = mysqlUsers.filter((u) => grants(role.documents, "rds-db:connect", `${dbiPrefix}/${u}`));
        const expectedUsers = kind === "task" && own.mysqlUser !== undefined ? [own.mysqlUser] : [];
        if (JSON.stringify(connects) !== JSON.stringify(expectedUsers)) problems.push(`${roleName} connects as [${connects.join(", ")}], expected [${expectedUsers.join(", ")}]`);
      }
    }
  }
  return problems;
}

function readersOf(run: StackRun, credential: string): string[] {
  const line = credentialReaders(run.resources).lines.find((l) => l.credential === credential);
  if (!line) throw new Error(`${run.stack}: no credential ${credential}`);
  return line.readers;
}

/** A copy of the graph where `role` also holds `policy` (the weakenings a reviewer would try). */
function withExtraPolicy(resources: readonly CapturedResource[], role: string, policy: object): CapturedResource[] {
  const target = resources.find((r) => r.type === "aws:iam/role:Role" && r.name === role);
  if (!target) throw new Error(`no role ${role}`);
  const extra: CapturedResource = { ...target, type: "aws:iam/rolePolicy:RolePolicy", name: `${role}-extra`, urn: `${target.urn}-extra`, inputs: { role: target.id, policy: JSON.stringify(policy) }, outputs: {} };
  return [...resources, extra];
}

describe("a credential per service (whole stack, real configs)", () => {
  let stacks: Record<string, StackRun>;
  before(async () => {
    stacks = await realStacks();
  });

  for (const env of ENVS) {
    describe(env, () => {
      it("lets every service's execution role read only its own secrets and its task role none, and connect to MySQL only as its own user", () => {
        const file = stackFile(env);
        expect(file.services.length).to.be.greaterThan(0);
        expect(credentialProblems(stacks[env]!.resources, env, file)).to.deep.equal([]);
      });

      it("gives a secret of its own to every service that uses Redis, OpenSearch or a cluster with users, and a MySQL user to every MySQL service", () => {
        const file = stackFile(env);
        const names = new Set(credentialReaders(stacks[env]!.resources).lines.map((l) => l.credential));
        for (const s of file.services) {
          const own = ownCredentials(env, file, s);
          for (const secret of own.secrets) expect(names.has(secret), `${s.name}: ${secret}`).to.equal(true);
          if (own.mysqlUser) expect(names.has(`mysql user ${own.mysqlUser}`), `${s.name}: ${own.mysqlUser}`).to.equal(true);
        }
      });

      it("keeps every admin credential to the operator role and the one component that administers with it", () => {
        const run = stacks[env]!;
        const operator = `${env}-data-operators-role`;
        // The account's deploy role writes and reads back every secret it creates; break-glass holds AdministratorAccess (docs/security.md#deploy-roles-and-people).
        const account = [`${env}-baseline-deploy-role`, `${env}-baseline-break-glass-role`];
        expect(readersOf(run, `${env}-mysql-credential-secret`)).to.deep.equal([operator, `${env}-mysql-users-role`, ...account].sort());
        expect(readersOf(run, `${env}-redis-admin-secret`)).to.deep.equal([operator, ...account].sort());
        expect(readersOf(run, `${env}-search-master-user-secret`)).to.deep.equal([operator, `${env}-search-users-role`, ...account].sort());
        for (const c of stackFile(env).clusters.filter((x) => ENGINES_WITH_USERS.includes(x.engine))) {
          expect(readersOf(run, `${env}-${c.name}-admin`), c.name).to.deep.equal([operator, `${env}-${c.name}-role`, ...account].sort());
        }
      });

      it("has no secret resource policy that would admit another principal", () => {
        expect(stacks[env]!.resources.filter((r) => r.type === "aws:secretsmanager/secretPolicy:SecretPolicy")).to.deep.equal([]);
      });
    });
  }

  describe("the check itself", () => {
    it("catches a service reading another service's secret through a wildcard", () => {
      const weakened = withExtraPolicy(stacks.prod!.resources, "prod-checkout-execution-role", {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:me-south-1:444444444444:secret:prod/data/prod-redis-*" }],
      });
      const problems = credentialProblems(weakened, "prod", stackFile("prod"));
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(/^prod-checkout-execution-role reads \[.*prod-redis-admin-secret.*prod-redis-svc-cart-secret/);
    });

    it("catches a task role given the MySQL master secret or another service's database user", () => {
      const weakened = withExtraPolicy(withExtraPolicy(stacks.prod!.resources, "prod-orders-task-role", {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: "*" }],
      }), "prod-payments-task-role", {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "rds-db:*", Resource: "arn:aws:rds-db:me-south-1:444444444444:dbuser:*/*" }],
      });
      const problems = credentialProblems(weakened, "prod", stackFile("prod"));
      expect(problems.some((p) => /^prod-orders-task-role reads \[.*prod-mysql-credential-secret/.test(p))).to.equal(true);
      expect(problems.some((p) => /^prod-payments-task-role connects as \[.*svc_checkout.*dbadmin/.test(p))).to.equal(true);
    });

    it("counts an unconditional Deny, and refuses to vouch for an unknown managed policy", () => {
      const doc = { Statement: [{ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }, { Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: "arn:x:secret:a" }] };
      expect(grants([doc], "secretsmanager:GetSecretValue", "arn:x:secret:a")).to.equal(false);
      expect(grants([doc], "secretsmanager:GetSecretValue", "arn:x:secret:b")).to.equal(true);
      const role = stacks.prod!.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "prod-cart-task-role")!;
      const attached: CapturedResource = { ...role, type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "x", urn: "x", inputs: { role: role.id, policyArn: "arn:aws:iam::aws:policy/SecretsManagerReadWrite" }, outputs: {} };
      expect(credentialReaders([...stacks.prod!.resources, attached]).problems).to.deep.equal([
        "prod-cart-task-role: attached managed policy arn:aws:iam::aws:policy/SecretsManagerReadWrite is not known to read no credential",
      ]);
    });
  });
});
