// Keeps heavy modules of the Pulumi SDK and of zod from loading at import when a process never
// uses them. `@pulumi/pulumi`'s index requires, at module load:
// - `typescript-shim` (which requires `typescript`, this project's 9 MB compiler), for
//   `pulumi.runtime.serializeFunction` only, which this project never calls: about 0.35 s;
// - `@npmcli/arborist` (npm's dependency-tree builder, with tar, pacote and friends), for
//   `pulumi.runtime.computeCodePaths` only, which this project never calls: about 0.3 s;
// - `automation` (the Automation API), which only the deploy driver (automation/) uses;
// - `normalize-package-data` (with hosted-git-info, spdx and lru-cache), for `computeCodePaths`
//   only, like arborist: about 30 ms. Its export is a function, so its proxy is callable;
// - `@opentelemetry/api` (44 modules), which `runtime/settings` uses only in the gRPC interceptor
//   of a real engine connection, never under mocks: about 25 ms;
// - `@grpc/grpc-js` (65 modules) and the four generated gRPC clients that call it at load: a
//   real engine connection needs them; under mocks the SDK reads gRPC only for the status code of
//   a failed call;
// - `semver`, whose index loads its 47 modules, for version comparisons the SDK makes only when two
//   packages register the same resource module or a resource reference is read back.
// `@pulumi/aws`'s index requires every one of its ~240 service indexes, of which a program uses a
// few dozen (awsServiceIndexes). And zod's index of its 60-odd translations of error messages,
// which `import { z } from "zod"` loads whole although the config schemas use the default English
// one (loaded on its own): about 16 ms of every process that reads config; and zod's JSON Schema
// reader, which no caller uses.
// Each module's slot in the require cache is filled with a proxy that loads the real module on
// first use, so a caller that does use it gets exactly what it would have. Only modules of the
// exact shape this was written for are replaced; which those are is kept across processes for as
// long as npm's install is the same (lazyModulesOf). Loaded by scripts/register-ts.cjs.
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");
const { fileState } = require("./file-state.cjs");
const { writeWhole } = require("./write-whole.cjs");

/** The modules made lazy, and the source a module must match to be replaced. */
const LAZY_MODULES = [
  // A module whose whole job is to require typescript.
  { request: "@pulumi/pulumi/typescript-shim", shape: /require\("typescript"\)/ },
  // The Automation API's index: compiled TypeScript re-exporting its parts (LocalWorkspace among them).
  { request: "@pulumi/pulumi/automation", shape: /__export\(require\("\.\/localWorkspace"\)\)/ },
  // npm's arborist as the SDK's closure code resolves it (its only importer, through __importStar).
  { request: "@npmcli/arborist", from: "@pulumi/pulumi/runtime/closure/codePaths", shape: /module\.exports\.Arborist = module\.exports/ },
  // npm's package.json normaliser, a function as the module's whole export (through __importDefault).
  { request: "normalize-package-data", from: "@pulumi/pulumi/runtime/closure/codePaths", shape: /^module\.exports = normalize$/m, callable: true },
  // OpenTelemetry's API as the SDK's settings resolve it (through __importStar), used per gRPC call only.
  { request: "@opentelemetry/api", from: "@pulumi/pulumi/runtime/settings", shape: /^var context_1 = require\("\.\/context\/context"\);$/m },
  // gRPC (65 modules) and the generated gRPC clients that call it at load: under mocks no engine
  // is dialled, and the SDK reads gRPC otherwise only for status codes of a failed call.
  ...["engine", "resource", "callback", "provider"].map((svc) => ({ request: `@pulumi/pulumi/proto/${svc}_grpc_pb`, shape: /^var grpc = require\('@grpc\/grpc-js'\);$/m })),
  { request: "@grpc/grpc-js", from: "@pulumi/pulumi/runtime/settings", shape: /get: function \(\) \{ return make_client_1\.makeClientConstructor; \}/ },
  // semver's index, which requires its 47 modules up front: the SDK compares versions only when two
  // packages register the same resource module, or to read a resource reference back.
  { request: "semver", from: "@pulumi/pulumi/runtime/rpc", shape: /^\/\/ just pre-load all the stuff that index\.js lazily exports$/m },
  // zod's index of every locale (through __importStar in zod/v4/classic/external): one require per locale.
  { request: "zod/v4/locales", shape: /^var ar_js_1 = require\("\.\/ar\.cjs"\);$/m },
  // zod's JSON Schema reader (through a getter in zod/v4/classic/external), for `z.fromJSONSchema`
  // only, which this project never calls; its load copies every schema and check: about 8 ms.
  { request: "./v4/classic/from-json-schema.cjs", from: "zod", shape: /^exports\.fromJSONSchema = fromJSONSchema;$/m },
];

/**
 * Fills `file`'s require-cache slot with a proxy that loads the real module on first use. A
 * `callable` module (one whose export is a function) gets a proxy that can be called, and that
 * answers `__esModule` as the function does (not at all), so `__importDefault` wraps it as it
 * would the function.
 */
function installLazy(file, callable) {
  let real;
  const load = () => {
    if (real === undefined) {
      delete require.cache[file];
      real = require(file);
      require.cache[file] = placeholder;
    }
    return real;
  };
  const placeholder = new Module(file, null);
  placeholder.filename = file;
  placeholder.paths = Module._nodeModulePaths(path.dirname(file));
  placeholder.loaded = true;
  placeholder.exports = new Proxy(
    // An arrow function: callable, and with no non-configurable own property to stand by.
    callable ? () => undefined : {},
    {
      // TypeScript's `__importStar` asks for `__esModule` at import: answer it without loading,
      // so the importer keeps the proxy instead of copying (and so loading) every export.
      get: (_, key) => (key === "__esModule" && real === undefined ? (callable ? undefined : true) : load()[key]),
      apply: (_, self, args) => Reflect.apply(load(), self, args),
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Object.getOwnPropertyDescriptor(load(), key);
        return d && { ...d, configurable: true };
      },
    },
  );
  require.cache[file] = placeholder;
}

/** One service of `@pulumi/aws`'s index, as the generated index requires and exports it. */
const AWS_SERVICE = /^const ([a-z0-9]+) = __importStar\(require\("\.\/\1"\)\);\nexports\.\1 = \1;$/gm;

/**
 * `@pulumi/aws`'s index requires every one of its services' indexes (about 240, each registering
 * its resource modules and setting lazy getters for its classes), though a program uses a few
 * dozen: each service index becomes a lazy module, loaded when the program first reads
 * `aws.<service>`. (A service index's only side effect, registering how to rebuild its resources
 * from a reference, is needed only to read resource references back from an engine, which the
 * mocks never send; without it the SDK reads such a reference as its URN or ID. A real `pulumi up`
 * runs the program in the Pulumi CLI's own Node process, which this loader does not touch.)
 * Returns the service indexes' files.
 */
function awsServiceIndexes(fromDir) {
  let index;
  try {
    index = require.resolve("@pulumi/aws", { paths: [fromDir] });
  } catch {
    return [];
  }
  const services = [...fs.readFileSync(index, "utf8").matchAll(AWS_SERVICE)].map((m) => m[1]);
  return services.map((service) => path.join(path.dirname(index), service, "index.js")).filter((file) => fs.existsSync(file));
}

/** Which of LAZY_MODULES fit, as files, and the AWS service indexes: found by resolving and reading. */
function findLazyModules(fromDir) {
  const modules = [];
  for (const { request, from, shape, callable } of LAZY_MODULES) {
    let file;
    try {
      const base = from ? path.dirname(require.resolve(from, { paths: [fromDir] })) : fromDir;
      file = require.resolve(request, { paths: [base] });
    } catch {
      continue;
    }
    if (shape.test(fs.readFileSync(file, "utf8"))) modules.push({ request, file, callable: callable === true });
  }
  return { modules, services: awsServiceIndexes(fromDir) };
}

/** Bumped when what findLazyModules answers changes shape. */
const FORMAT = 1;

/** LAZY_MODULES as data: what is kept was found by these, and a change to them finds again. */
const RULES = JSON.stringify(LAZY_MODULES.map(({ request, from, shape, callable }) => [request, from ?? "", String(shape), callable === true]));

/**
 * What findLazyModules answered, kept in `cacheFile` for as long as npm's record of the install
 * (node_modules/.package-lock.json, rewritten by every install and removal: scripts/file-state.cjs)
 * is unchanged: resolving twelve requests, reading their modules and checking 240 service folders
 * took about 20 ms of every process. A change to LAZY_MODULES looks again (`rules`). A module edited
 * by hand in node_modules is not seen; delete the file (or node_modules/.cache) to look again.
 */
function lazyModulesOf(fromDir, cacheFile) {
  const install = cacheFile && fileState(path.join(fromDir, "node_modules", ".package-lock.json"));
  if (install !== undefined) {
    try {
      const doc = JSON.parse(fs.readFileSync(cacheFile, "utf8"));
      if (doc.format === FORMAT && doc.rules === RULES && doc.install === install && doc.fromDir === fromDir && Array.isArray(doc.modules) && Array.isArray(doc.services)) return doc;
    } catch {
      // None yet, or unreadable: found again and rewritten.
    }
  }
  const found = findLazyModules(fromDir);
  if (install !== undefined) {
    try {
      writeWhole(cacheFile, JSON.stringify({ format: FORMAT, rules: RULES, install, fromDir, ...found }));
    } catch {
      // A read-only node_modules only costs the search next time.
    }
  }
  return found;
}

/**
 * Makes the SDK modules of LAZY_MODULES lazy for the SDK found from `fromDir`, and `@pulumi/aws`'s
 * service indexes; returns which. `cacheFile`: where what was found is kept (lazyModulesOf).
 */
function installLazySdkModules(fromDir, cacheFile) {
  const { modules, services } = lazyModulesOf(fromDir, cacheFile);
  const installed = [];
  for (const { request, file, callable } of modules) {
    if (require.cache[file]) continue;
    installLazy(file, callable);
    installed.push(request);
  }
  let made = 0;
  for (const file of services) {
    if (require.cache[file]) continue;
    installLazy(file, false);
    made++;
  }
  if (made > 0) installed.push(`@pulumi/aws services (${made})`);
  return installed;
}

module.exports = { installLazySdkModules };
