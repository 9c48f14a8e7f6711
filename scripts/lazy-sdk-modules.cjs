// Keeps heavy parts of the Pulumi SDK from loading at import when a process never uses them.
// `@pulumi/pulumi`'s index requires, at module load:
// - `typescript-shim` (which requires `typescript`, this project's 9 MB compiler), for
//   `pulumi.runtime.serializeFunction` only, which this project never calls: about 0.35 s;
// - `@npmcli/arborist` (npm's dependency-tree builder, with tar, pacote and friends), for
//   `pulumi.runtime.computeCodePaths` only, which this project never calls: about 0.3 s;
// - `automation` (the Automation API), which only the deploy driver (automation/) uses.
// Each module's slot in the require cache is filled with a proxy that loads the real module on
// first use, so a caller that does use it gets exactly what it would have. Only modules of the
// exact shape this was written for are replaced. Loaded by scripts/register-ts.cjs.
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");

/** The SDK modules made lazy, and the source a module must match to be replaced. */
const LAZY_MODULES = [
  // A module whose whole job is to require typescript.
  { request: "@pulumi/pulumi/typescript-shim", shape: /require\("typescript"\)/ },
  // The Automation API's index: compiled TypeScript re-exporting its parts (LocalWorkspace among them).
  { request: "@pulumi/pulumi/automation", shape: /__export\(require\("\.\/localWorkspace"\)\)/ },
  // npm's arborist as the SDK's closure code resolves it (its only importer, through __importStar).
  { request: "@npmcli/arborist", from: "@pulumi/pulumi/runtime/closure/codePaths", shape: /module\.exports\.Arborist = module\.exports/ },
];

/** Fills `file`'s require-cache slot with a proxy that loads the real module on first use. */
function installLazy(file) {
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
    {},
    {
      // TypeScript's `__importStar` asks for `__esModule` at import: answer it without loading,
      // so the importer keeps the proxy instead of copying (and so loading) every export.
      get: (_, key) => (key === "__esModule" && real === undefined ? true : load()[key]),
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

/** Makes the SDK modules of LAZY_MODULES lazy for the SDK found from `fromDir`; returns which. */
function installLazySdkModules(fromDir) {
  const installed = [];
  for (const { request, from, shape } of LAZY_MODULES) {
    let file;
    try {
      const base = from ? path.dirname(require.resolve(from, { paths: [fromDir] })) : fromDir;
      file = require.resolve(request, { paths: [base] });
    } catch {
      continue;
    }
    if (require.cache[file]) continue;
    if (!shape.test(fs.readFileSync(file, "utf8"))) continue;
    installLazy(file);
    installed.push(request);
  }
  return installed;
}

module.exports = { installLazySdkModules, LAZY_MODULES };
