import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { UNKNOWN, peek } from "../../lib/unknown";

const REPOSITORY = "aws:ecr/repository:Repository";
const REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";
const LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy";

/** What another principal may be granted by a repository policy: reading images, nothing that writes or administers. */
const PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeImages", "ecr:ListImages"];

interface Statement {
  Sid?: unknown;
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  Condition?: unknown;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function known(r: PolicyResource, key: string): unknown {
  const v = peek(() => r.props[key]);
  return v === UNKNOWN ? UNKNOWN : v;
}

/** Why an Allow statement of a repository policy is too wide, or undefined. */
function statementProblem(s: Statement): string | undefined {
  if (s.Effect !== "Allow") return undefined;
  const principal = s.Principal;
  const wildcard = principal === "*" || list((principal as { AWS?: unknown } | undefined)?.AWS).includes("*");
  const conditioned = s.Condition !== undefined && s.Condition !== null && Object.keys(s.Condition as object).length > 0;
  const sid = s.Sid === undefined ? "a statement" : `statement "${String(s.Sid)}"`;
  if (wildcard && !conditioned) return `${sid} allows any principal ("*") without a condition`;
  const writes = list(s.Action).filter((a) => typeof a !== "string" || !PULL_ACTIONS.includes(a));
  return writes.length > 0 ? `${sid} grants ${writes.map(String).join(", ")}; a repository policy may grant only pulls (${PULL_ACTIONS.join(", ")})` : undefined;
}

/**
 * The registry the environments pull from is part of the supply chain: a tag that can be re-pushed
 * is not the build that was reviewed (ECR.2), an image nobody scans hides known vulnerabilities
 * (ECR.1), a repository without a lifecycle policy grows without bound (ECR.3), and a repository
 * policy that lets another account push, delete or administer lets that account replace what every
 * environment runs. Encryption with a KMS key keeps who can read the layers a matter of key policy.
 */
export const ecrRepositoriesHardened: StackRule = {
  name: "ecr-repositories-hardened",
  description:
    "ECR repositories have immutable tags, scan on push, KMS encryption and a lifecycle policy, and their repository policy grants only pull actions, never to any principal (\"*\") without a condition, so what an environment pulls is exactly the reviewed, scanned build and no other account can replace it.",
  meta: { category: "security", domain: "compute", appliesTo: [REPOSITORY, REPOSITORY_POLICY, LIFECYCLE_POLICY], fsbp: "ECR.1, ECR.2, ECR.3" },
  validateStack: (args, report) => {
    const repos = args.resources.filter((r) => r.type === REPOSITORY);
    if (repos.length === 0) args.notApplicable("no ECR repository in this stack");
    const lifecycles = args.resources.filter((r) => r.type === LIFECYCLE_POLICY).map((l) => known(l, "repository"));
    for (const repo of repos) {
      const name = known(repo, "name");
      const label = typeof name === "string" ? name : repo.name;
      const mutability = known(repo, "imageTagMutability");
      if (mutability !== UNKNOWN && mutability !== "IMMUTABLE") report(`repository ${label}: imageTagMutability is ${String(mutability ?? "unset (MUTABLE)")}, not IMMUTABLE`, repo.urn);
      const scanning = known(repo, "imageScanningConfiguration");
      if (scanning !== UNKNOWN && (scanning as { scanOnPush?: unknown } | undefined)?.scanOnPush !== true) report(`repository ${label}: scan on push is off`, repo.urn);
      const encryption = known(repo, "encryptionConfigurations");
      if (encryption !== UNKNOWN && !list(encryption).some((e) => (e as { encryptionType?: unknown }).encryptionType === "KMS")) {
        report(`repository ${label}: not encrypted with KMS (encryptionConfigurations.encryptionType KMS)`, repo.urn);
      }
      if (typeof name === "string" && !lifecycles.includes(UNKNOWN) && !lifecycles.includes(name)) report(`repository ${label}: no lifecycle policy`, repo.urn);
    }
    for (const policy of args.resources.filter((r) => r.type === REPOSITORY_POLICY)) {
      const text = known(policy, "policy");
      if (typeof text !== "string") continue;
      let doc: { Statement?: unknown };
      try {
        doc = JSON.parse(text) as { Statement?: unknown };
      } catch {
        report(`repository policy ${policy.name} is not valid JSON`, policy.urn);
        continue;
      }
      for (const s of list(doc.Statement) as Statement[]) {
        const problem = statementProblem(s);
        if (problem) report(`repository policy of ${String(known(policy, "repository"))}: ${problem}`, policy.urn);
      }
    }
  },
};
