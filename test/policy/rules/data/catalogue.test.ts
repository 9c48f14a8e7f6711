import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { rules } from "../../../../policy/rules/data";
import { isStackRule } from "../../../../policy/rules/types";
import { checkResourceDetailed } from "../../../../policy/testing";

const RULE_DIR = path.resolve(__dirname, "../../../../policy/rules/data");
const TEST_DIR = __dirname;

describe("data rules catalogue", () => {
  it("has one rule per file, named after the file, and one test file per rule", () => {
    const files = fs.readdirSync(RULE_DIR).filter((f) => f.endsWith(".ts") && !["index.ts", "support.ts"].includes(f)).map((f) => f.replace(/\.ts$/, ""));
    expect(rules.map((r) => r.name).sort()).to.deep.equal(files.sort());
    const tests = new Set(fs.readdirSync(TEST_DIR).filter((f) => f.endsWith(".test.ts")).map((f) => f.replace(/\.test\.ts$/, "")));
    expect(files.filter((f) => !tests.has(f)), "rules without a test file").to.deep.equal([]);
  });

  it("describes what each rule enforces and why, in a sentence", () => {
    for (const rule of rules) {
      expect(rule.description, rule.name).to.match(/^[A-Z].{40,}\.$/s);
      expect(rule.description, rule.name).to.match(/\bso\b/);
    }
  });

  it("files every rule under data with a category and an FSBP id in AWS's form", () => {
    for (const rule of rules) {
      expect(rule.meta.domain, rule.name).to.equal("data");
      expect(["security", "availability"], rule.name).to.include(rule.meta.category);
      if (rule.meta.fsbp !== undefined) expect(rule.meta.fsbp, rule.name).to.match(/^(EC2|RDS|ElastiCache|OpenSearch|S3|KMS)\.\d+$/);
    }
  });

  it("lists every alias of a type it inspects", () => {
    const aliases = [
      ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
      ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    ];
    for (const rule of rules) {
      for (const group of aliases) {
        if (group.some((t) => rule.meta.appliesTo.includes(t))) expect(rule.meta.appliesTo, rule.name).to.include.members(group);
      }
    }
  });

  it("reports nothing about a type outside appliesTo, however it is configured", () => {
    const hostile = { tags: { Environment: "prod", Cluster: "c" }, encrypted: false, storageEncrypted: false, publiclyAccessible: true, recoveryWindowInDays: 0 };
    for (const rule of rules.filter((r) => !isStackRule(r))) {
      const out = checkResourceDetailed(rule, "aws:sqs/queue:Queue", hostile);
      expect([...out.violations, ...out.previewNotes], rule.name).to.deep.equal([]);
    }
  });
});
