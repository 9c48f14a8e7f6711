import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const LOADER = path.join(ROOT, "scripts/register-ts.cjs");

/** Runs `code` in a fresh Node with the project's loader; returns what it printed. */
function probe(code: string): string {
  const r = spawnSync(process.execPath, ["-r", LOADER, "-e", code], { cwd: ROOT, encoding: "utf8" });
  expect(r.status, r.stderr).to.equal(0);
  return r.stdout.trim();
}

describe("heavy modules of the SDK and of zod, loaded lazily (scripts/lazy-sdk-modules.cjs)", () => {
  // One fresh Node serves the four checks, in this order, instead of one process each (a process
  // that imports the SDK costs about 0.6 s). The first check looks at the require cache right
  // after the SDK's import, before anything uses a lazy module, which is all a process of its own
  // would show. Each later check goes through its own module's proxy (scripts/lazy-sdk-modules.cjs
  // gives every lazy module its own placeholder and loader, and an earlier load of another one
  // neither loads nor replaces it), and compares what the caller gets with the real module, so
  // it proves in this process what it proved in a process of its own.
  let results: Record<string, string>;
  before(() => {
    results = JSON.parse(probe(`
      const results = {};
      const before = new Set(Object.keys(require.cache));
      require("@pulumi/pulumi");
      const { z } = require("zod");
      const aws = require("@pulumi/aws");
      const files = Object.keys(require.cache).filter((f) => !before.has(f));
      results.unused = JSON.stringify({
        typescript: Boolean(require.cache[require.resolve("typescript")]),
        arborist: files.some((f) => f.includes("/@npmcli/arborist/lib/arborist/")),
        automation: files.some((f) => /@pulumi\\/pulumi\\/automation\\/(localWorkspace|stack)\\.js$/.test(f)),
        normalize: files.some((f) => f.includes("/normalize-package-data/") || f.includes("/hosted-git-info/")),
        opentelemetry: files.some((f) => f.includes("/@opentelemetry/api/build/src/trace/")),
        grpc: files.some((f) => f.includes("/@grpc/grpc-js/build/src/client")),
        semver: files.some((f) => f.includes("/semver/functions/")),
        // A service's index, once loaded, has registered its resource modules with the SDK.
        awsServices: ["acm/certificate", "ec2/vpc", "s3/bucket", "wafv2/webAcl"].filter((m) => require("@pulumi/pulumi/runtime/rpc").getResourceModule("aws", m, undefined) !== undefined),
        zodLocales: files.filter((f) => f.includes("/zod/v4/locales/")).map((f) => require("path").basename(f)),
        // Its slot holds the proxy, the real module loaded behind it only when used.
        zodFromJsonSchema: require("util").types.isProxy(require.cache[require.resolve("./v4/classic/from-json-schema.cjs", { paths: [require("path").dirname(require.resolve("zod"))] })].exports),
      });
      // zod with its default English messages, the locales loaded only when asked for.
      results.zod = [z.string().safeParse(1).error.issues[0].message, typeof z.locales.fr, z.locales.fr === require("zod/v4/locales").fr, z.fromJSONSchema({ type: "string", minLength: 2 }).safeParse("a").success].join(" | ");
      const otel = require("@opentelemetry/api");
      const settings = require("@pulumi/pulumi/runtime/settings");
      results.opentelemetry = [typeof otel.propagation.inject, typeof otel.context.active(), typeof settings.grpcChannelOptions].join(" ");
      // gRPC as the SDK reads it under mocks (a failed call's status), and its generated clients.
      const errors = require("@pulumi/pulumi/errors");
      const engine = require("@pulumi/pulumi/proto/engine_grpc_pb");
      const vpc = new aws.ec2.Vpc("v", { cidrBlock: "10.0.0.0/16" });
      results.aws = [typeof aws.acm.Certificate, aws.ec2.Vpc.isInstance(vpc), aws.s3.Bucket === require("@pulumi/aws/s3").Bucket, "Certificate" in aws.acm, require("@pulumi/pulumi/runtime/rpc").getResourceModule("aws", "ec2/vpc", undefined) !== undefined].join(" ");
      const semver = require(require.resolve("semver", { paths: [require("path").dirname(require.resolve("@pulumi/pulumi/runtime/rpc"))] }));
      results.semver = [semver.gt("1.10.0", "1.9.0"), typeof semver.SemVer, new semver.SemVer("7.48.0").minor].join(" ");
      results.grpc = [errors.isGrpcError({ code: 14 }), errors.isGrpcError({ code: 3 }), typeof engine.EngineClient, require("@grpc/grpc-js").status.UNAVAILABLE].join(" ");
      const shim = require("@pulumi/pulumi/typescript-shim");
      results.shim = [shim.version === require("typescript").version, typeof shim.createSourceFile, "SyntaxKind" in shim].join(" ");
      const direct = require("@pulumi/pulumi/automation");
      const pulumi = require("@pulumi/pulumi");
      results.automation = [typeof direct.LocalWorkspace.create, pulumi.automation.LocalWorkspace === direct.LocalWorkspace, Object.keys(direct).includes("Stack")].join(" ");
      const base = require("path").dirname(require.resolve("@pulumi/pulumi/runtime/closure/codePaths"));
      const arborist = require(require.resolve("@npmcli/arborist", { paths: [base] }));
      const normalize = require(require.resolve("normalize-package-data", { paths: [base] }));
      const wrapped = { name: "x", version: "1.0.0", repository: "github:tila/x" };
      normalize(wrapped);
      results.normalize = [typeof normalize, wrapped.repository && wrapped.repository.url, normalize.__esModule === undefined].join(" ");
      pulumi.runtime.computeCodePaths({ extraIncludePackages: ["yaml"] }).then((paths) => {
        results.arborist = [typeof arborist.Arborist, [...paths.keys()].some((p) => p.endsWith("node_modules/yaml"))].join(" ");
        console.log(JSON.stringify(results));
      });`)) as Record<string, string>;
  });

  it("keeps the compiler, npm's arborist and package.json normaliser and the Automation API out of a process that imports @pulumi/pulumi and never uses them", () => {
    expect(JSON.parse(results.unused!)).to.deep.equal({ typescript: false, arborist: false, automation: false, normalize: false, opentelemetry: false, grpc: false, semver: false, awsServices: [], zodLocales: ["en.cjs"], zodFromJsonSchema: true });
  });

  it("gives a caller of OpenTelemetry's API, gRPC, semver or an AWS service the real one, and zod its locales when asked for them", () => {
    expect(results.opentelemetry).to.equal("function object object");
    expect(results.grpc).to.equal("true false function 14");
    expect(results.semver).to.equal("true function 48");
    expect(results.aws).to.equal("function true true true true");
    expect(results.zod).to.equal("Invalid input: expected string, received number | function | true | false");
  });

  it("gives a caller that does use the shim the real compiler", () => {
    expect(results.shim).to.equal("true function true");
  });

  it("gives the Automation API to a caller that uses it, through the package and through pulumi.automation", () => {
    expect(results.automation).to.equal("function true true");
  });

  it("gives the SDK's code-path computation the real arborist", () => {
    expect(results.arborist).to.equal("function true");
  });

  it("gives a caller of npm's package.json normaliser a function that normalises (the proxy is callable)", () => {
    expect(results.normalize).to.equal("function git+https://github.com/tila/x.git true");
  });
});

describe("which modules are made lazy, kept by npm's install state (scripts/lazy-sdk-modules.cjs)", () => {
  const LAZY = path.join(ROOT, "scripts/lazy-sdk-modules.cjs");
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tila-lazy-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** What a fresh Node makes lazy with this cache file (no other loader). */
  const installed = (cacheFile: string): string[] => {
    const r = spawnSync(process.execPath, ["-e", `console.log(JSON.stringify(require(${JSON.stringify(LAZY)}).installLazySdkModules(${JSON.stringify(ROOT)}, ${JSON.stringify(cacheFile)})))`], { encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as string[];
  };

  it("finds them once, then takes them from the file until npm's record of the install changes", () => {
    const file = path.join(dir, "modules.json");
    const first = installed(file);
    expect(first).to.include("@pulumi/pulumi/typescript-shim").and.include("@grpc/grpc-js");
    expect(first.at(-1)).to.match(/^@pulumi\/aws services \(\d{3}\)$/);
    type Doc = { install: string; modules: { request: string }[]; services: string[] };
    const doc = JSON.parse(fs.readFileSync(file, "utf8")) as Doc;
    // A file that says otherwise is believed while the install is the same...
    fs.writeFileSync(file, JSON.stringify({ ...doc, modules: doc.modules.slice(0, 1), services: [] }));
    expect(installed(file)).to.deep.equal([doc.modules[0]!.request]);
    // ...and looked past once npm has installed something since.
    fs.writeFileSync(file, JSON.stringify({ ...doc, install: "another install", modules: [], services: [] }));
    expect(installed(file)).to.deep.equal(first);
    expect((JSON.parse(fs.readFileSync(file, "utf8")) as Doc).install).to.equal(doc.install);
    // ...and when the modules it was told to look for (scripts/lazy-sdk-modules.cjs) changed.
    fs.writeFileSync(file, JSON.stringify({ ...doc, rules: "other rules", modules: [], services: [] }));
    expect(installed(file)).to.deep.equal(first);
  });
});
