import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DEPLOY_ORDER, PROTECTED_STACKS } from "../../automation/runner";
import { stackRole } from "../../scripts/ciRole";
import { StackName } from "../../components/environments";
import { CiFile, Job, PIPELINES, ROOT, awsRole, deployCommands, flag, flags, loadCi, needsOf, pipeline, scriptLines } from "./gitlabPipeline";

const ci: CiFile = loadCi();
const mr = pipeline(ci, PIPELINES.mergeRequest);
const main = pipeline(ci, PIPELINES.main);
const tag = pipeline(ci, PIPELINES.releaseTag);
const hotfixBranch = pipeline(ci, PIPELINES.hotfixBranch);
const allJobs = [...ci.jobs.values()];

/** Jobs that reach AWS: they assume a role through aws-oidc.sh. */
const awsJobs = allJobs.filter((j) => awsRole(j) !== undefined);
/** The stack a job acts on: its role's stack. */
const stackOf = (j: Job): string | undefined => awsRole(j)?.stack;
/** Jobs that can change a stack: its deploy role and a command other than a preview or convergence check. */
const changes = (j: Job): boolean => awsRole(j)?.kind === "deploy" && deployCommands(j).some((c) => !["preview", "converged"].includes(c[0]!));

/** Variables whose values are secrets: none may be printed or set in the file. */
const SECRET_VARIABLES = ["PULUMI_CONFIG_PASSPHRASE", "AWS_ID_TOKEN", "TILA_MR_NOTE_TOKEN", "CI_JOB_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];
const STATIC_KEYS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

describe(".gitlab-ci.yml", () => {
  describe("merge requests", () => {
    it("run the tests, the plan with its comment, and a preview of every stack", () => {
      expect([...mr.keys()]).to.include.members(["test", "plan", "mr-comment", ...DEPLOY_ORDER.map((s) => `preview:${s}`)]);
      expect(scriptLines(mr.get("test")!.job)).to.include("npm test");
      expect(scriptLines(mr.get("plan")!.job)).to.include("pipelines/gitlab/plan.sh");
      for (const name of ["test", "plan", "mr-comment"]) expect(mr.get(name)!.when, name).to.not.equal("manual");
    });

    it("preview each stack with its own read-only role and the policy pack's dependencies", () => {
      for (const stack of DEPLOY_ORDER) {
        const { job, when } = mr.get(`preview:${stack}`)!;
        expect(when, job.name).to.equal("on_success");
        expect(awsRole(job), job.name).to.deep.equal({ stack, kind: "preview" });
        expect(deployCommands(job), job.name).to.deep.equal([["preview", "--stack", stack, "--json"]]);
        expect(scriptLines(job), job.name).to.include("pipelines/gitlab/install.sh --with-policy");
      }
    });

    it("post the plan report as the comment even when the plan job fails", () => {
      const { job, when } = mr.get("mr-comment")!;
      expect(needsOf(job)).to.deep.equal(["plan"]);
      expect(when).to.equal("always");
      expect(scriptLines(job)).to.deep.equal(["pipelines/gitlab/post-mr-note.sh out/report.md"]);
      const plan = mr.get("plan")!.job;
      expect(plan.artifacts?.paths).to.include.members(["out/plan/", "out/plan.json", "out/report.md"]);
      expect(plan.artifacts?.when).to.equal("always");
      expect(plan.artifacts?.exclude, "the plan cache is never an artefact").to.include("out/plan/.cache/**/*");
    });

    it("never deploy, hot-fix or destroy", () => {
      const writes = [...mr.values()].filter(({ job }) => awsRole(job)?.kind === "deploy" || deployCommands(job).some((c) => c[0] !== "preview"));
      expect([...mr.values()].filter(({ job }) => awsRole(job) !== undefined).map((p) => p.job.environment), "previews get the backend from the protected preview environment").to.deep.equal(
        DEPLOY_ORDER.map(() => ({ name: "preview", action: "prepare" })),
      );
      expect(writes.map((p) => p.job.name)).to.deep.equal([]);
    });
  });

  describe("main", () => {
    const promotes = DEPLOY_ORDER.filter((s) => s !== "prod").map((s) => ({ stack: s, entry: main.get(`promote:${s}`) }));

    it("promotes management, dev, stage and preprod, one job per stack, each with its own deploy role", () => {
      for (const { stack, entry } of promotes) {
        expect(entry, `promote:${stack}`).to.not.equal(undefined);
        const [command] = deployCommands(entry!.job);
        expect(command![0]).to.equal("promote");
        expect([flag(command!, "from"), flag(command!, "to")], entry!.job.name).to.deep.equal([stack, stack]);
        expect(awsRole(entry!.job)).to.deep.equal({ stack, kind: "deploy" });
        expect(entry!.job.resource_group, entry!.job.name).to.equal(`tila-platform-${stack}`);
        expect(entry!.job.environment?.name, entry!.job.name).to.equal(stack);
      }
    });

    it("chains the promotions with needs in DEPLOY_ORDER, after the tests", () => {
      expect(needsOf(promotes[0]!.entry!.job)).to.deep.equal(["test"]);
      for (let i = 1; i < promotes.length; i++) expect(needsOf(promotes[i]!.entry!.job), promotes[i]!.stack).to.deep.equal([`promote:${promotes[i - 1]!.stack}`]);
    });

    it("promotes management, dev and stage automatically and preprod only by hand, blocking until then", () => {
      for (const { stack, entry } of promotes) {
        const autoApproved = flags(deployCommands(entry!.job)[0]!, "auto-approve");
        if (stack === "preprod") {
          expect(entry!.when).to.equal("manual");
          expect(entry!.allowFailure, "a waiting promotion blocks the pipeline and its failure fails it").to.equal(false);
          expect(autoApproved).to.deep.equal([]);
          expect(entry!.job.variables?.TILA_APPROVE).to.equal("preprod");
        } else {
          expect(entry!.when, stack).to.equal("on_success");
          expect(autoApproved, stack).to.deep.equal([stack]);
        }
      }
    });

    it("runs the plan that later merge requests compare with", () => {
      expect(scriptLines(main.get("plan")!.job)).to.include("pipelines/gitlab/plan.sh");
      expect(main.get("plan")!.job.artifacts?.paths).to.include("out/plan/");
    });

    it("previews nothing: merge requests do", () => {
      expect([...main.keys()].filter((n) => n.startsWith("preview:"))).to.deep.equal([]);
    });
  });

  describe("prod", () => {
    it("is promoted in the release-tag pipeline, manually, in the protected prod environment, after preprod is shown to run the release", () => {
      const { job, when, allowFailure } = tag.get("promote:prod")!;
      expect(when).to.equal("manual");
      expect(allowFailure).to.equal(false);
      expect(job.environment?.name).to.equal("prod");
      expect(job.variables?.TILA_APPROVE).to.equal("prod");
      expect(deployCommands(job)).to.deep.equal([["promote", "--from", "prod", "--to", "prod", "--json"]]);
      expect(needsOf(job)).to.include("converged:preprod");
      expect(deployCommands(tag.get("converged:preprod")!.job)).to.deep.equal([["converged", "--stack", "preprod", "--json"]]);
      expect(deployCommands(tag.get("converged:prod")!.job)).to.deep.equal([["converged", "--stack", "prod", "--json"]]);
      expect(needsOf(tag.get("converged:prod")!.job)).to.deep.equal(["promote:prod"]);
    });

    it("is promoted only in a v* tag pipeline and otherwise changed only by the manual hot fix of a hotfix/* branch", () => {
      const prodWrites = (ctx: (typeof PIPELINES)[keyof typeof PIPELINES]): string[] =>
        [...pipeline(ci, ctx).values()].filter(({ job }) => stackOf(job) === "prod" && awsRole(job)!.kind === "deploy").map((p) => p.job.name);
      const prodChanges = (ctx: (typeof PIPELINES)[keyof typeof PIPELINES]): string[] =>
        [...pipeline(ci, ctx).values()].filter(({ job }) => stackOf(job) === "prod" && changes(job)).map((p) => p.job.name);
      for (const [kind, ctx] of Object.entries(PIPELINES)) {
        if (kind !== "releaseTag" && kind !== "hotfixBranch") expect(prodWrites(ctx), kind).to.deep.equal([]);
      }
      expect(prodWrites(PIPELINES.releaseTag)).to.have.members(["promote:prod", "hotfix:prod", "converged:prod"]);
      expect(prodChanges(PIPELINES.releaseTag)).to.have.members(["promote:prod", "hotfix:prod"]);
      expect(prodWrites(PIPELINES.hotfixBranch)).to.deep.equal(["hotfix:prod"]);
      expect(hotfixBranch.get("hotfix:prod")!.when).to.equal("manual");
    });

    it("is never approved automatically anywhere in the file", () => {
      for (const job of allJobs) for (const c of deployCommands(job)) for (const s of PROTECTED_STACKS) expect(flags(c, "auto-approve"), job.name).to.not.include(s);
    });
  });

  describe("preprod and prod jobs that change them", () => {
    const gated = allJobs.filter((j) => ["preprod", "prod"].includes(stackOf(j) ?? "") && changes(j));

    it("are manual, in the protected environment of their stack, with the job's OIDC ID token", () => {
      expect(gated.map((j) => j.name)).to.have.members(["promote:preprod", "promote:prod", "hotfix:preprod", "hotfix:prod"]);
      for (const job of gated) {
        for (const rule of job.rules ?? []) expect(rule.when, job.name).to.equal("manual");
        expect(job.environment?.name, job.name).to.equal(stackOf(job));
        expect(job.variables?.TILA_APPROVE, job.name).to.equal(stackOf(job));
        expect(Object.keys(job.id_tokens ?? {}), job.name).to.deep.equal(["AWS_ID_TOKEN"]);
      }
    });
  });

  describe("hot fixes", () => {
    const envs = DEPLOY_ORDER.filter((s) => s !== "management");

    it("offer one manual job per environment that fixes one service of that stack after checking the variables", () => {
      for (const env of envs) {
        const job = ci.jobs.get(`hotfix:${env}`)!;
        const lines = scriptLines(job);
        expect(lines[0], job.name).to.equal("pipelines/gitlab/require-vars.sh HOTFIX_STACK HOTFIX_SERVICE PULUMI_BACKEND_URL PULUMI_CONFIG_PASSPHRASE");
        expect(lines[1], job.name).to.match(new RegExp(`^'?\\[\\[ \\$\\{HOTFIX_STACK\\} == ${env} \\]\\]`));
        expect(deployCommands(job), job.name).to.deep.equal([["hotfix", "--stack", "${HOTFIX_STACK}", "--service", "${HOTFIX_SERVICE}", "--json"]]);
        expect(awsRole(job), job.name).to.deep.equal({ stack: env, kind: "deploy" });
        expect(job.environment?.name, job.name).to.equal(env);
        expect(job.resource_group, job.name).to.equal(`tila-platform-${env}`);
      }
    });

    it("run from hotfix/* branches and from release tags, always by hand", () => {
      expect([...hotfixBranch.keys()].filter((n) => n.startsWith("hotfix:"))).to.have.members(envs.map((e) => `hotfix:${e}`));
      expect([...tag.keys()].filter((n) => n.startsWith("hotfix:"))).to.have.members(envs.map((e) => `hotfix:${e}`));
      for (const p of [hotfixBranch, tag]) for (const [name, entry] of p) if (name.startsWith("hotfix:")) expect(entry.when, name).to.equal("manual");
      expect([...mr.keys(), ...main.keys()].filter((n) => n.startsWith("hotfix:"))).to.deep.equal([]);
    });
  });

  describe("destroy", () => {
    it("exists only for dev and stage, manual on main, each stack confirmed by name", () => {
      const destroys = allJobs.flatMap((j) => deployCommands(j).filter((c) => c[0] === "destroy").map((c) => ({ job: j, c })));
      expect(destroys.map((d) => d.job.name)).to.have.members(["destroy:dev", "destroy:stage"]);
      for (const { job, c } of destroys) {
        const stack = job.name.split(":")[1]!;
        expect(flags(c, "stack"), job.name).to.deep.equal([stack]);
        expect(flags(c, "confirm"), job.name).to.deep.equal([stack]);
        expect(c, job.name).to.not.include("--allow-prod");
        expect(awsRole(job)).to.deep.equal({ stack, kind: "deploy" });
        expect(main.get(job.name)?.when, job.name).to.equal("manual");
        for (const [kind, ctx] of Object.entries(PIPELINES)) if (kind !== "main" && kind !== "schedule") expect(pipeline(ci, ctx).has(job.name), `${job.name} in ${kind}`).to.equal(false);
      }
      expect(scriptLines({ name: "all", script: allJobs.flatMap(scriptLines) }).join("\n")).to.not.match(/--allow-prod/);
    });
  });

  describe("credentials", () => {
    it("every job that drives a stack assumes that stack's role through an ID token whose aud is the stack's configured audience", () => {
      const drivers = allJobs.filter((j) => deployCommands(j).length > 0);
      expect(drivers.length).to.equal(DEPLOY_ORDER.length + 4 + 3 + 4 + 2);
      for (const job of drivers) {
        const role = awsRole(job);
        expect(role, `${job.name} assumes no role`).to.not.equal(undefined);
        const lines = scriptLines(job);
        expect(lines.findIndex((l) => l.startsWith("source pipelines/gitlab/aws-oidc.sh")), job.name).to.be.lessThan(lines.findIndex((l) => /npm run -s deploy/.test(l)));
        const want = stackRole(role!.stack as StackName, role!.kind as "deploy" | "preview", ROOT).audience;
        expect(job.id_tokens?.AWS_ID_TOKEN?.aud, job.name).to.equal(want);
        expect(lines[0], job.name).to.match(/^pipelines\/gitlab\/require-vars\.sh .*PULUMI_BACKEND_URL PULUMI_CONFIG_PASSPHRASE$/);
        for (const c of deployCommands(job)) for (const s of [...flags(c, "stack"), ...flags(c, "from"), ...flags(c, "to")]) if (!s.startsWith("$")) expect(s, `${job.name} acts on ${s} with ${role!.stack}'s role`).to.equal(role!.stack);
      }
    });

    it("only jobs that reach AWS carry an ID token", () => {
      for (const job of allJobs) expect(job.id_tokens !== undefined, job.name).to.equal(awsRole(job) !== undefined);
      expect(awsJobs.length).to.be.greaterThan(0);
    });

    it("holds no static AWS keys anywhere: global and job variables, script lines", () => {
      const text = fs.readFileSync(path.join(ROOT, ".gitlab-ci.yml"), "utf8");
      for (const key of STATIC_KEYS) expect(text, key).to.not.include(key);
      for (const job of allJobs) for (const key of STATIC_KEYS) expect(Object.keys(job.variables ?? {}), job.name).to.not.include(key);
    });

    it("prints no secret: no set -x, no environment dump, no echo of a secret variable in any script line", () => {
      const scripts = fs.readdirSync(path.join(ROOT, "pipelines/gitlab")).map((f) => ({ name: f, lines: fs.readFileSync(path.join(ROOT, "pipelines/gitlab", f), "utf8").split("\n") }));
      const sources = [...allJobs.map((j) => ({ name: j.name, lines: scriptLines(j) })), ...scripts];
      for (const { name, lines } of sources) {
        for (const line of lines) {
          const code = line.replace(/^\s*#.*$/, "");
          expect(code, `${name}: ${line}`).to.not.match(/\bset\s+-[a-z]*x|\bset\s+-o\s+xtrace|(^|[;&|]\s*)(env|printenv|export -p|declare -p|set)\s*($|[;&|>])/);
          for (const secret of SECRET_VARIABLES) {
            const printsIt = new RegExp(`\\b(echo|printf|cat|tee|logger)\\b[^|;]*\\$\\{?${secret}\\b`).test(code);
            expect(printsIt, `${name} prints ${secret}: ${line}`).to.equal(false);
          }
        }
      }
    });

    it("keeps the backend and passphrase out of the file: CI variables only", () => {
      const all = { ...ci.variables, ...Object.assign({}, ...allJobs.map((j) => j.variables ?? {})) } as Record<string, string>;
      for (const name of ["PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_ACCESS_TOKEN", "TILA_MR_NOTE_TOKEN"]) expect(Object.keys(all), name).to.not.include(name);
    });
  });

  describe("caches", () => {
    it("key node_modules, the policy pack's node_modules and npm's cache on the two lockfiles", () => {
      const cached = allJobs.filter((j) => j.cache !== undefined && !Array.isArray(j.cache));
      expect(cached.length).to.be.greaterThan(allJobs.length / 2);
      for (const job of cached) {
        const cache = job.cache as { key?: { files?: string[] }; paths?: string[] };
        expect(cache.key?.files, job.name).to.deep.equal(["package-lock.json", "policy/package-lock.json"]);
        for (const f of cache.key!.files!) expect(fs.existsSync(path.join(ROOT, f)), f).to.equal(true);
        expect(cache.paths, job.name).to.include.members(["node_modules/", "policy/node_modules/", ".npm/"]);
      }
      const writers = cached.filter((j) => (j.cache as { policy?: string }).policy !== "pull").map((j) => j.name);
      expect(writers, "one job fills the cache, the others only read it").to.deep.equal(["test"]);
    });
  });

  describe("images", () => {
    it("are pinned by version: Node 20 for the offline jobs, the Pulumi CLI of @pulumi/pulumi for the AWS ones", () => {
      const sdk = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;
      for (const job of allJobs) {
        const image = typeof job.image === "string" ? job.image : job.image?.name;
        if (awsRole(job) !== undefined) expect(image, job.name).to.equal(`pulumi/pulumi-nodejs-20:${sdk}`);
        else expect(image, job.name).to.match(/^node:20\.\d+\.\d+-bookworm$/);
      }
    });
  });

  describe("the pipelines GitLab would refuse to run", () => {
    it("exist only for merge requests, main, hotfix/* branches and v* tags, never on a schedule", () => {
      expect(pipeline(ci, PIPELINES.featureBranch).size).to.equal(0);
      expect(pipeline(ci, PIPELINES.otherTag).size).to.equal(0);
      expect(pipeline(ci, PIPELINES.schedule).size).to.equal(0);
      for (const kind of ["mergeRequest", "main", "hotfixBranch", "releaseTag"] as const) expect(pipeline(ci, PIPELINES[kind]).size, kind).to.be.greaterThan(0);
    });

    it("hold the job counts docs/delivery.md gives: 21 jobs; 8 per merge request, 8 on main, 5 on a hotfix branch, 8 on a release tag", () => {
      expect(ci.jobs.size).to.equal(21);
      expect([mr.size, main.size, hotfixBranch.size, tag.size]).to.deep.equal([8, 8, 5, 8]);
      const doc = fs.readFileSync(path.join(ROOT, "docs/delivery.md"), "utf8");
      expect(doc).to.contain(`${ci.jobs.size} jobs; a pipeline holds the ones for its ref. Merge requests ${mr.size}, \`main\` ${main.size}, a \`hotfix/*\` branch ${hotfixBranch.size},\na \`v*\` tag ${tag.size}.`);
    });

    it("every needed job is in the same pipeline as the job that needs it", () => {
      for (const [kind, ctx] of Object.entries(PIPELINES)) {
        const p = pipeline(ci, ctx);
        for (const { job } of p.values()) for (const n of needsOf(job)) expect(p.has(n), `${job.name} needs ${n} in the ${kind} pipeline`).to.equal(true);
      }
    });
  });
});
