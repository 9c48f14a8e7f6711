import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import type { Policy } from "@pulumi/policy";
import { AJV_OPTIONS, configRoot, resolvePackConfig } from "../../offline/policyConfig";
import { repositoryPolicySetup } from "../../offline/policyPlan";
import { precompileValidators } from "../../offline/policyValidators";
import { tempDirEach } from "../support/tempDir";

/** A rule object with only what config resolution reads. */
function policy(name: string, configSchema: Policy["configSchema"]): Policy {
  return { name, description: name, enforcementLevel: "mandatory", configSchema, validateResource: () => undefined } as unknown as Policy;
}

describe("the pack's config validators kept as standalone code (offline/policyValidators.ts)", () => {
  const dir = tempDirEach("tila-ajv-");
  const files = (): string[] => fs.readdirSync(dir()).sort();

  it("validate every real rule's config exactly as ajv compiled here does, from the file the first call wrote", () => {
    const rules = repositoryPolicySetup().rules;
    const withSchema = rules.filter((r) => r.configSchema);
    expect(withSchema.length).to.be.greaterThan(5);
    // Each rule's schema defaults, one wrong-typed value for each of its properties, and the whole config missing.
    const configs = withSchema.flatMap((r) => {
      const props = Object.keys(r.configSchema!.properties ?? {});
      return [{}, ...props.map((k) => ({ [k]: { not: "what the schema wants" } })), ...props.map((k) => ({ [k]: "x" })), ...props.map((k) => ({ [k]: -1 }))].map((c) => [r, c] as const);
    });
    const reference = new Ajv(AJV_OPTIONS);
    const expected = configs.map(([r, c]) => {
      const v = reference.compile(configRoot(r.configSchema!));
      return v(c) ? [] : v.errors!.map((e) => [e.keyword, e.instancePath, e.message, JSON.stringify(e.params)]);
    });

    precompileValidators(rules, dir());
    expect(files()).to.have.length(1);
    const written = path.join(dir(), files()[0]!);
    delete require.cache[written];
    // A second call takes the stored code: the same functions a new process would get.
    precompileValidators(rules, dir());
    expect(require.cache[written], "loaded from the file").to.not.equal(undefined);
    const got = configs.map(([r, c]) => {
      const resolved = resolvePackConfig([r], { [r.name]: c });
      return resolved.errors.map((e) => e.message);
    });
    const want = configs.map(([r, c]) => resolvePackConfigWithout(r, c));
    expect(got).to.deep.equal(want);
    expect(expected.some((e) => e.length > 0), "some configs are invalid").to.equal(true);
  });

  it("writes a new file when a schema changes, and removes the old one", () => {
    precompileValidators([policy("p", { properties: { n: { type: "number" } } })], dir());
    const first = files();
    precompileValidators([policy("p", { properties: { n: { type: "string" } } })], dir());
    expect(files()).to.have.length(1);
    expect(files()).to.not.deep.equal(first);
  });

  it("leaves a schema that does not compile to policyConfig.ts, which names it, and writes nothing", () => {
    const bad = policy("bad", { properties: { n: { type: "no-such-type" } } } as unknown as Policy["configSchema"]);
    precompileValidators([bad], dir());
    expect(files()).to.deep.equal([]);
    const resolved = resolvePackConfig([bad], {});
    expect(resolved.errors.map((e) => [e.policy, e.message.split(":")[0]])).to.deep.equal([["bad", "configSchema does not compile"]]);
  });

  it("still validates when the folder cannot be written", () => {
    const blocked = path.join(dir(), "blocked");
    fs.writeFileSync(blocked, "a file, not a folder");
    const p = policy("p", { properties: { n: { type: "number" } }, required: ["n"] });
    precompileValidators([p], blocked);
    expect(resolvePackConfig([p], { p: { n: "x" } }).errors.map((e) => e.message)).to.deep.equal(["n: must be number"]);
    expect(resolvePackConfig([p], {}).errors.map((e) => e.key)).to.deep.equal(["n"]);
  });
});

/** What policyConfig.ts answers with a validator it compiles itself (a copy of the rule, so nothing precompiled applies). */
function resolvePackConfigWithout(rule: Policy, config: unknown): string[] {
  const copy = { ...rule, configSchema: structuredClone(rule.configSchema) } as Policy;
  return resolvePackConfig([copy], { [rule.name]: config }).errors.map((e) => e.message);
}
