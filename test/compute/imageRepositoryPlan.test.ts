import { expect } from "chai";
import fc from "fast-check";
import {
  CLEANUP_RULE_PRIORITY,
  ImageDeployment,
  PULL_ACTIONS,
  planImageRepositories,
} from "../../components/compute/imageRepositoryPlan";

const deploy = (environment: string, accountId: string, service: string, tag: string): ImageDeployment => ({ environment, accountId, service, tag });
const REAL: ImageDeployment[] = [
  deploy("dev", "222222222222", "checkout", "1.8.0-rc.1"),
  deploy("stage", "555555555555", "checkout", "1.7.6"),
  deploy("preprod", "333333333333", "checkout", "1.7.6"),
  deploy("prod", "444444444444", "checkout", "1.7.5"),
  deploy("prod", "444444444444", "cart", "1.19.2"),
];

function plans(deployments: readonly ImageDeployment[] = REAL) {
  const r = planImageRepositories({ partition: "aws", deployments });
  if (!r.ok) throw new Error(r.issues.join("; "));
  return r.value;
}

describe("planImageRepositories", () => {
  it("plans one repository per service that any environment runs", () => {
    expect(plans().map((p) => p.repositoryName)).to.deep.equal(["tila/cart", "tila/checkout"]);
  });

  it("lets exactly that service's execution roles pull, and only pull", () => {
    const checkout = plans().find((p) => p.service === "checkout")!;
    const [statement, ...rest] = checkout.repositoryPolicy.Statement;
    expect(rest).to.deep.equal([]);
    expect(statement.Effect).to.equal("Allow");
    expect(statement.Action).to.deep.equal([...PULL_ACTIONS]);
    expect(statement.Principal.AWS).to.deep.equal(["222222222222", "333333333333", "444444444444", "555555555555"].map((a) => `arn:aws:iam::${a}:root`));
    expect(statement.Condition.ArnEquals["aws:PrincipalArn"]).to.deep.equal([
      "arn:aws:iam::222222222222:role/tila-dev-checkout-execution",
      "arn:aws:iam::333333333333:role/tila-preprod-checkout-execution",
      "arn:aws:iam::444444444444:role/tila-prod-checkout-execution",
      "arn:aws:iam::555555555555:role/tila-stage-checkout-execution",
    ]);
    const cart = plans().find((p) => p.service === "cart")!;
    expect(cart.repositoryPolicy.Statement[0].Condition.ArnEquals["aws:PrincipalArn"]).to.deep.equal(["arn:aws:iam::444444444444:role/tila-prod-cart-execution"]);
    expect(cart.repositoryPolicy.Statement[0].Principal.AWS).to.deep.equal(["arn:aws:iam::444444444444:root"]);
  });

  it("keeps every deployed tag with a rule of its own, ahead of the clean-up rule, in priority order", () => {
    const { lifecyclePolicy, deployedTags } = plans().find((p) => p.service === "checkout")!;
    expect(deployedTags).to.deep.equal([
      { tag: "1.7.5", environments: ["prod"] },
      { tag: "1.7.6", environments: ["stage", "preprod"] },
      { tag: "1.8.0-rc.1", environments: ["dev"] },
    ]);
    expect(lifecyclePolicy.rules.map((r) => [r.rulePriority, r.selection.tagPatternList, r.selection.countNumber])).to.deep.equal([
      [1, ["1.7.5"], 1],
      [2, ["1.7.6"], 1],
      [3, ["1.8.0-rc.1"], 1],
      [CLEANUP_RULE_PRIORITY, ["*"], 30],
    ]);
    expect(lifecyclePolicy.rules.every((r) => r.selection.tagStatus === "tagged" && r.action.type === "expire")).to.equal(true);
    expect(lifecyclePolicy.rules[1].description).to.equal("Keep 1.7.6: deployed in stage, preprod");
  });

  it("never lets the clean-up rule reach a deployed tag, whatever is deployed", () => {
    const tag = fc.stringMatching(/^[0-9]\.[0-9]{1,2}\.[0-9]{1,2}$/);
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom("dev", "stage", "preprod", "prod"), fc.constantFrom("cart", "checkout"), tag), { minLength: 1, maxLength: 8 }), (rows) => {
      const unique = [...new Map(rows.map(([env, svc, t]) => [`${env}/${svc}`, deploy(env, "444444444444", svc, t)])).values()];
      for (const p of plans(unique)) {
        const cleanup = p.lifecyclePolicy.rules.find((r) => r.selection.tagPatternList[0] === "*")!;
        for (const d of unique.filter((u) => u.service === p.service)) {
          const keep = p.lifecyclePolicy.rules.find((r) => r.selection.tagPatternList.length === 1 && r.selection.tagPatternList[0] === d.tag);
          if (!keep || keep.rulePriority >= cleanup.rulePriority) return false;
        }
        const priorities = p.lifecyclePolicy.rules.map((r) => r.rulePriority);
        if (priorities.join() !== [...priorities].sort((a, b) => a - b).join() || new Set(priorities).size !== priorities.length) return false;
      }
      return true;
    }), { numRuns: 100 });
  });

  it("refuses what ECR or IAM would refuse, all at once", () => {
    const r = planImageRepositories({
      partition: "aws",
      keepRecentImages: 0,
      deployments: [deploy("prod", "44", "cart-", "1.0.0"), deploy("prod", "444444444444", "cart", "1.0.0"), deploy("prod", "444444444444", "cart", "1.0.1")],
    });
    expect(r.ok).to.equal(false);
    expect(r.ok ? [] : r.issues).to.deep.equal([
      "keepRecentImages: must be a whole number from 1 to 10000 (got 0)",
      'deployments: service "cart-" cannot name an ECR repository: ECR takes lower-case letters and digits joined by dots, dashes or underscores, never at the end',
      'deployments[0].accountId: "44" is not a 12-digit account id',
      "deployments[2]: cart is deployed twice in prod",
    ]);
    expect(planImageRepositories({ partition: "aws", deployments: [] }).ok).to.equal(false);
  });
});
