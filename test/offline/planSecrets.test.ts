import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { StackRun } from "../../offline/engine";
import { PlanResult, SECRET_MASK, summarizeRun } from "../../offline/plan";
import { maskPaths, resourceRecord, writePlanFiles } from "../../offline/planFiles";
import type { CapturedResource } from "../../offline/types";
import { realStacks } from "../support/realStacks";

const VPN = "aws:ec2/vpnConnection:VpnConnection";
const PASSWORD = "random:index/randomPassword:RandomPassword";

/** A record of resources.json. */
interface Rec {
  type: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  secretInputs: string[];
  secretOutputs: string[];
}

function resource(over: Partial<CapturedResource>): CapturedResource {
  return {
    urn: "urn:pulumi:dev::p::t::n", type: "aws:x/y:Y", name: "n", custom: true, remote: false, read: false,
    inputs: {}, secretInputs: [], outputs: {},
    options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [] },
    ...over,
  };
}

/** Every string at `p` (a captured secret path) inside `value`, and everything below it. */
function stringsAt(value: unknown, p: string): string[] {
  const at = p.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "").reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(at);
  return out;
}

describe("secrets in the plan files", () => {
  describe("masking a captured resource", () => {
    it("masks a top-level secret input and its output, and keeps the marks", () => {
      const r = resource({ inputs: { password: "hunter2hunter2", port: 3306 }, secretInputs: ["password"], secretInputPaths: ["password"], outputs: { password: "hunter2hunter2", port: 3306 } });
      const rec = resourceRecord(r);
      expect(rec.inputs).to.deep.equal({ password: SECRET_MASK, port: 3306 });
      expect(rec.outputs, "an output derived from a secret input is secret").to.deep.equal({ password: SECRET_MASK, port: 3306 });
      expect(rec.secretInputs).to.deep.equal(["password"]);
      expect(rec.secretOutputs).to.deep.equal(["password"]);
    });

    it("masks a nested secret where it is, not the whole property", () => {
      const inputs = { containerEnv: [{ name: "A", value: "plain" }, { name: "B", value: "s3cr3t-value" }] };
      const rec = resourceRecord(resource({ inputs, secretInputs: ["containerEnv"], secretInputPaths: ["containerEnv[1].value"] }));
      expect(rec.inputs).to.deep.equal({ containerEnv: [{ name: "A", value: "plain" }, { name: "B", value: SECRET_MASK }] });
      expect(rec.secretInputs).to.deep.equal(["containerEnv[1].value"]);
      expect(inputs.containerEnv[1].value, "the captured graph keeps the real value").to.equal("s3cr3t-value");
    });

    it("masks additionalSecretOutputs and a StackReference's secret outputs", () => {
      const pw = resourceRecord(resource({ outputs: { result: "abcdefgh12345678", length: 16 }, options: { ...resource({}).options, additionalSecretOutputs: ["result", "bcryptHash"] } }));
      expect(pw.outputs).to.deep.equal({ result: SECRET_MASK, length: 16 });
      expect(pw.secretOutputs).to.deep.equal(["result", "bcryptHash"]);
      const ref = resourceRecord(resource({ type: "pulumi:pulumi:StackReference", read: true, outputs: { name: "o/p/management", outputs: { vpcId: "vpc-1", hubToken: "tok-123456789" }, secretOutputNames: ["hubToken"] } }));
      expect((ref.outputs as { outputs: Record<string, unknown> }).outputs).to.deep.equal({ vpcId: "vpc-1", hubToken: SECRET_MASK });
    });

    it("masks paths through objects and arrays, and leaves a missing path alone", () => {
      expect(maskPaths({ a: { b: [1, { c: "x" }] }, d: 1 }, ["a.b[1].c", "nope.x", "d"])).to.deep.equal({ a: { b: [1, { c: SECRET_MASK }] }, d: SECRET_MASK });
    });
  });

  describe("the real stacks", () => {
    let runs: Record<string, StackRun>;
    let written: string;
    let out: string;
    before(async function () {
      this.timeout(180_000);
      runs = await realStacks();
      const result: PlanResult = {
        stacks: Object.values(runs).map(summarizeRun),
        runs,
        totals: { stacks: 0, ok: 0, failed: 0, resources: 0, wallMs: 0 },
      };
      out = fs.mkdtempSync(path.join(os.tmpdir(), "tila-secrets-"));
      const report = writePlanFiles(result, out, { knownStacks: Object.keys(runs) });
      expect(report.errors).to.deep.equal([]);
      written = report.written.map((f) => fs.readFileSync(path.join(out, f), "utf8")).join("\n");
    });
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    const all = (type: string): CapturedResource[] => Object.values(runs).flatMap((r) => r.resources.filter((x) => x.type === type));

    it("keeps the real values in memory for tests and the policy runner", () => {
      const passwords = all(PASSWORD);
      expect(passwords.length).to.be.greaterThan(10);
      for (const p of passwords) expect(p.outputs.result).to.be.a("string").and.not.equal(SECRET_MASK);
      const vpns = all(VPN);
      expect(vpns.length).to.be.greaterThan(0);
      for (const v of vpns) expect(v.inputs.tunnel1PresharedKey).to.be.a("string").and.not.equal(SECRET_MASK);
    });

    it("writes no generated password, pre-shared key or other secret value anywhere", () => {
      const secrets = new Set<string>();
      for (const run of Object.values(runs)) {
        for (const r of run.resources) {
          for (const p of [...(r.secretInputPaths ?? r.secretInputs)]) stringsAt(r.inputs, p).forEach((s) => secrets.add(s));
          for (const p of [...(r.secretOutputPaths ?? []), ...r.options.additionalSecretOutputs]) stringsAt(r.outputs, p).forEach((s) => secrets.add(s));
        }
        for (const name of run.secretOutputs) stringsAt(run.outputs, name).forEach((s) => secrets.add(s));
      }
      for (const p of all(PASSWORD)) secrets.add(String(p.outputs.result));
      for (const v of all(VPN)) secrets.add(String(v.inputs.tunnel1PresharedKey)).add(String(v.inputs.tunnel2PresharedKey));
      // Short strings (booleans, ports, "true") would match by accident; every real secret is long.
      const long = [...secrets].filter((s) => s.length >= 12);
      expect(long.length).to.be.greaterThan(50);
      const leaked = long.filter((s) => written.includes(JSON.stringify(s).slice(1, -1)));
      expect(leaked, "secret values in the plan files").to.deep.equal([]);
    });

    it("marks what it masked: the password results and the VPN keys", () => {
      const dev = JSON.parse(fs.readFileSync(path.join(out, "dev", "resources.json"), "utf8")) as Rec[];
      const pw = dev.find((r) => r.type === PASSWORD)!;
      expect(pw.outputs.result).to.equal(SECRET_MASK);
      expect(pw.secretOutputs).to.include("result");
      const management = JSON.parse(fs.readFileSync(path.join(out, "management", "resources.json"), "utf8")) as Rec[];
      const vpn = management.find((r) => r.type === VPN)!;
      expect(vpn.inputs.tunnel1PresharedKey).to.equal(SECRET_MASK);
      expect(vpn.secretInputs).to.include.members(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
    });
  });
});
