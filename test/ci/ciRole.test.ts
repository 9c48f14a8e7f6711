import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { DEPLOY_ORDER } from "../../automation/runner";
import { deployRoleArn } from "../../components/security/hubIdentity";
import { DEFAULT_AUDIENCE, main, partitionOf, stackRole } from "../../scripts/ciRole";

const ROOT = path.resolve(__dirname, "../..");

function run(argv: string[], projectDir?: string): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const code = main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, projectDir });
  return { code, stdout, stderr };
}

function withStackFile(text: string, fn: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-role-"));
  try {
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), text);
    fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("npm run ci:role", () => {
  it("gives each stack's deploy role in the account its stack file names, the ARN the deploy role is created under", () => {
    for (const stack of DEPLOY_ORDER) {
      const doc = parseYaml(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, string> };
      const r = run(["--stack", stack, "--kind", "deploy"]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.equal(`${deployRoleArn(stack, doc.config["tila-platform:accountId"]!)}\n`);
    }
  });

  it("gives the read-only preview role, the region and the ID token's audience", () => {
    expect(run(["--stack", "prod", "--kind", "preview"]).stdout).to.equal("arn:aws:iam::444444444444:role/tila-platform-preview-prod\n");
    expect(run(["--stack", "dev", "--kind", "deploy", "--print", "region"]).stdout).to.equal("me-south-1\n");
    expect(run(["--stack", "dev", "--kind", "preview", "--print", "audience"]).stdout).to.equal(`${DEFAULT_AUDIENCE}\n`);
    // One line per --print, in the order given (aws-oidc.sh reads the ARN and the region in one call).
    const both = run(["--stack", "dev", "--kind", "deploy", "--print", "arn", "--print", "region"]).stdout.split("\n");
    expect(both).to.have.length(3);
    expect(both[0]).to.match(/^arn:aws:iam::\d{12}:role\//);
    expect(both.slice(1)).to.deep.equal(["me-south-1", ""]);
    expect(DEFAULT_AUDIENCE).to.equal("sts.amazonaws.com");
  });

  it("reads a configured audience and region, and the partition from the region", () => {
    withStackFile(
      'config:\n  aws:region: cn-north-1\n  tila-platform:accountId: "123456789012"\n  tila-platform:security:\n    gitlab: { audience: "https://gitlab.tila.sa", projectPath: a/b, deployRefs: [] }\n',
      (dir) => {
        const role = stackRole("dev", "deploy", dir);
        expect(role.audience).to.equal("https://gitlab.tila.sa");
        expect(role.arn).to.equal("arn:aws-cn:iam::123456789012:role/tila-platform-deploy-dev");
      },
    );
    expect([partitionOf("me-south-1"), partitionOf("us-gov-west-1"), partitionOf("cn-northwest-1")]).to.deep.equal(["aws", "aws-us-gov", "aws-cn"]);
  });

  it("refuses bad arguments with exit 2 and the usage, printing nothing on stdout", () => {
    for (const argv of [[], ["--stack", "qa", "--kind", "deploy"], ["--stack", "dev"], ["--stack", "dev", "--kind", "admin"], ["--stack", "dev", "--kind", "deploy", "--print", "secret"], ["--bogus"]]) {
      const r = run(argv);
      expect(r.code, argv.join(" ")).to.equal(2);
      expect(r.stdout, argv.join(" ")).to.equal("");
      expect(r.stderr, argv.join(" ")).to.match(/^ci:role: .+\nUsage: npm run -s ci:role/);
    }
    expect(run(["--stack", "qa", "--kind", "deploy"]).stderr).to.contain('unknown stack "qa"; stacks: management, dev, stage, preprod, prod');
  });

  it("fails with exit 1 naming the file and every bad key when the stack file cannot give a role", () => {
    withStackFile('config:\n  aws:region: "mars"\n  tila-platform:accountId: 2222\n', (dir) => {
      const r = run(["--stack", "dev", "--kind", "deploy"], dir);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.contain("Pulumi.dev.yaml: tila-platform:accountId: must be a 12-digit AWS account id in quotes (got 2222)");
      expect(r.stderr).to.contain('aws:region: must be an AWS region such as me-south-1 (got "mars")');
    });
    withStackFile("config: [unclosed\n", (dir) => expect(run(["--stack", "dev", "--kind", "deploy"], dir).stderr).to.contain("is not valid YAML"));
    const missing = run(["--stack", "dev", "--kind", "deploy"], os.tmpdir());
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain("Pulumi.dev.yaml: cannot be read");
  });

  it("runs as npm run -s ci:role with one line on stdout", () => {
    const r = spawnSync("npm", ["run", "-s", "ci:role", "--", "--stack", "stage", "--kind", "deploy"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal("arn:aws:iam::555555555555:role/tila-platform-deploy-stage\n");
  });
});
