/**
 * Container images across accounts, on the five captured real stacks: the management account holds
 * one hardened repository per service, each repository policy lets exactly the environments'
 * execution roles of that service pull, each execution role pulls only its own service's repository,
 * and every repository keeps the tag each environment runs.
 */
import { expect } from "chai";
import { PULL_ACTIONS, RepositoryPolicyDocument, LifecyclePolicyDocument } from "../../components/compute/imageRepositoryPlan";
import { executionRoleName } from "../../components/compute/imageNames";
import { StackRun } from "../../offline/engine";
import * as fs from "fs";
import * as path from "path";
import { runPolicies } from "../../offline/policyRunner";
import { RULES } from "../../policy/rules";
import { ofType } from "../support/graph";
import { realStacks } from "../support/realStacks";
import { planWeakened } from "../support/weaken";

const ENVS = ["dev", "stage", "preprod", "prod"] as const;

interface Deployed {
  env: string;
  service: string;
  tag: string;
  /** ARN of the service's execution role, as captured. */
  roleArn: string;
}

/** Each service each environment runs: its execution role and the tag its task definition pins. */
function deployed(stacks: Record<string, StackRun>): Deployed[] {
  return ENVS.flatMap((env) => {
    const run = stacks[env]!;
    return ofType(run, "tila:compute:MicroserviceService").map((svc): Deployed => {
      const mine = run.resources.filter((r) => r.parent === svc.urn);
      const role = mine.find((r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-execution-role"))!;
      const task = mine.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!;
      const image = (JSON.parse(String(task.inputs.containerDefinitions)) as { image: string }[])[0].image;
      const service = String(mine.find((r) => r.type === "aws:ecs/service:Service")!.inputs.name);
      return { env, service, tag: image.split(":").pop()!, roleArn: String(role.outputs.arn) };
    });
  });
}

/** Could a principal with this ARN pull from the repository under this policy? (Allow statements only: there are no Deny.) */
function mayPull(policy: RepositoryPolicyDocument, principalArn: string, action: string): boolean {
  const account = principalArn.split(":")[4];
  return policy.Statement.some((s) => s.Effect === "Allow" && s.Action.includes(action)
    && s.Principal.AWS.includes(`arn:aws:iam::${account}:root`)
    && s.Condition.ArnEquals["aws:PrincipalArn"].includes(principalArn));
}

describe("container images across accounts (issue 10, item 3)", () => {
  let stacks: Record<string, StackRun>;
  let mgmt: StackRun;
  let runs: Deployed[];
  before(async () => {
    stacks = await realStacks();
    mgmt = stacks.management!;
    runs = deployed(stacks);
  });

  it("holds one repository per service of the environments' catalogues in management: immutable tags, scan on push, a customer key", () => {
    const repos = ofType(mgmt, "aws:ecr/repository:Repository");
    expect(repos.map((r) => r.inputs.name).sort()).to.deep.equal([...new Set(runs.map((d) => `tila/${d.service}`))].sort());
    const keys = ofType(mgmt, "aws:kms/key:Key").map((k) => k.outputs.arn);
    for (const r of repos) {
      expect(r.inputs.imageTagMutability, r.name).to.equal("IMMUTABLE");
      expect(r.inputs.imageScanningConfiguration, r.name).to.deep.equal({ scanOnPush: true });
      const [encryption] = r.inputs.encryptionConfigurations as { encryptionType: string; kmsKey: string }[];
      expect(encryption.encryptionType, r.name).to.equal("KMS");
      expect(keys, r.name).to.include(encryption.kmsKey);
    }
    for (const env of ENVS) expect(ofType(stacks[env]!, "aws:ecr/repository:Repository"), env).to.deep.equal([]);
  });

  it("names every execution role as the management stack's repository policies expect", () => {
    for (const d of runs) expect(d.roleArn.split(":role/")[1], `${d.env} ${d.service}`).to.equal(executionRoleName(d.env, d.service));
    for (const d of runs) expect(d.roleArn.split(":")[4], `${d.env} ${d.service}`).to.equal(stacks[d.env]!.config.accountId);
  });

  it("lets every repository be pulled only by the environments' execution roles of its own service, and only pulled", () => {
    const policies = ofType(mgmt, "aws:ecr/repositoryPolicy:RepositoryPolicy");
    expect(policies).to.have.length(10);
    const everyRole = ENVS.flatMap((env) => ofType(stacks[env]!, "aws:iam/role:Role").map((r) => String(r.outputs.arn)));
    for (const p of policies) {
      const repo = String(p.inputs.repository);
      const policy = JSON.parse(String(p.inputs.policy)) as RepositoryPolicyDocument;
      for (const s of policy.Statement) expect([...s.Action].sort(), repo).to.deep.equal([...PULL_ACTIONS].sort());
      const expected = runs.filter((d) => `tila/${d.service}` === repo).map((d) => d.roleArn).sort();
      expect(expected, repo).to.have.length(4);
      const allowed = everyRole.filter((arn) => mayPull(policy, arn, "ecr:BatchGetImage")).sort();
      expect(allowed, repo).to.deep.equal(expected);
      expect(policy.Statement.flatMap((s) => [...s.Condition.ArnEquals["aws:PrincipalArn"]]).sort(), repo).to.deep.equal(expected);
    }
  });

  it("keeps dev's execution roles away from prod's deployment and every role away from another service's images", () => {
    const cart = JSON.parse(String(ofType(mgmt, "aws:ecr/repositoryPolicy:RepositoryPolicy").find((p) => p.inputs.repository === "tila/cart")!.inputs.policy)) as RepositoryPolicyDocument;
    const checkoutRoles = runs.filter((d) => d.service === "checkout").map((d) => d.roleArn);
    expect(checkoutRoles.filter((arn) => mayPull(cart, arn, "ecr:BatchGetImage"))).to.deep.equal([]);
    // A role of the right name in an account that is not the environment's is not admitted either.
    expect(mayPull(cart, "arn:aws:iam::999999999999:role/tila-prod-cart-execution", "ecr:BatchGetImage")).to.equal(false);
    expect(mayPull(cart, runs.find((d) => d.env === "prod" && d.service === "cart")!.roleArn, "ecr:PutImage")).to.equal(false);
  });

  it("lets every execution role pull only its own service's repository in management, and log in to ECR", () => {
    const repoArn = new Map(ofType(mgmt, "aws:ecr/repository:Repository").map((r) => [String(r.inputs.name), String(r.outputs.arn)]));
    for (const env of ENVS) {
      const run = stacks[env]!;
      for (const policy of ofType(run, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.name === "execution")) {
        const doc = JSON.parse(String(policy.inputs.policy)) as { Statement: { Sid: string; Action: string[]; Resource: string | string[] }[] };
        const service = policy.name.replace(`${env}-`, "").replace(/-execution-policy$/, "");
        const pull = doc.Statement.filter((s) => s.Action.some((a) => a.startsWith("ecr:") && a !== "ecr:GetAuthorizationToken"));
        expect(pull.map((s) => s.Resource), policy.name).to.deep.equal([[repoArn.get(`tila/${service}`)]]);
        expect(doc.Statement.find((s) => s.Action.includes("ecr:GetAuthorizationToken"))?.Resource, policy.name).to.equal("*");
      }
    }
  });

  it("keeps the tag each environment runs in every repository's lifecycle policy, and never selects untagged images", () => {
    const lifecycles = new Map(ofType(mgmt, "aws:ecr/lifecyclePolicy:LifecyclePolicy").map((l) => [String(l.inputs.repository), JSON.parse(String(l.inputs.policy)) as LifecyclePolicyDocument]));
    for (const d of runs) {
      const { rules } = lifecycles.get(`tila/${d.service}`)!;
      const cleanup = rules.find((r) => r.selection.tagPatternList.includes("*"))!;
      const keep = rules.find((r) => r.selection.tagPatternList.length === 1 && r.selection.tagPatternList[0] === d.tag);
      expect(keep, `${d.env} ${d.service} ${d.tag}`).to.not.equal(undefined);
      expect(keep!.rulePriority, `${d.env} ${d.service}`).to.be.lessThan(cleanup.rulePriority);
    }
    for (const { rules } of lifecycles.values()) expect(rules.every((r) => r.selection.tagStatus === "tagged")).to.equal(true);
  });

  it("fails the management plan, naming ecr-repositories-hardened, when a repository is weakened after the component checked it", async () => {
    const { run, hits } = await planWeakened("management", (a) => {
      if (a.type === "aws:ecr/repository:Repository" && a.name === "images-cart") return { ...a.props, imageTagMutability: "MUTABLE" };
      if (a.type === "aws:ecr/repositoryPolicy:RepositoryPolicy" && a.name === "images-checkout-policy") {
        const doc = JSON.parse(String(a.props.policy)) as RepositoryPolicyDocument;
        return { ...a.props, policy: JSON.stringify({ ...doc, Statement: doc.Statement.map((s) => ({ ...s, Action: [...s.Action, "ecr:PutImage"] })) }) };
      }
      return undefined;
    });
    expect(hits).to.equal(2);
    const config: unknown = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../policy/config/management.json"), "utf8"));
    const found = runPolicies(run.resources, RULES, config, { packEnforcementLevel: "mandatory" }).violations.filter((v) => v.level === "mandatory");
    expect(found.map((f) => `${f.policy} ${f.name}`).sort()).to.deep.equal(["ecr-repositories-hardened images-cart", "ecr-repositories-hardened images-checkout-policy"]);
  });
});
