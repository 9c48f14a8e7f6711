// Keeps the Pulumi SDK from loading the whole TypeScript compiler at import. @pulumi/pulumi's
// closure serializer requires `typescript-shim` (which requires `typescript`, this project's 9 MB
// compiler) at module load, for `pulumi.runtime.serializeFunction` only, which this project never
// calls: about 0.35 s of every process that imports the SDK (plans, tests, deploys). The shim's
// slot in the require cache is filled with a proxy that loads the real shim on first use, so a
// caller that does use it gets exactly what it would have. Loaded by scripts/register-ts.cjs.
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");

function installLazyShim(fromDir) {
  let shim;
  try {
    shim = require.resolve("@pulumi/pulumi/typescript-shim", { paths: [fromDir] });
  } catch {
    return false;
  }
  if (require.cache[shim]) return false;
  // Only the shape this was written for: a module whose whole job is to require typescript.
  if (!/require\("typescript"\)/.test(fs.readFileSync(shim, "utf8"))) return false;
  let real;
  const load = () => {
    if (real === undefined) {
      delete require.cache[shim];
      real = require(shim);
      require.cache[shim] = placeholder;
    }
    return real;
  };
  const placeholder = new Module(shim, null);
  placeholder.filename = shim;
  placeholder.paths = Module._nodeModulePaths(path.dirname(shim));
  placeholder.loaded = true;
  placeholder.exports = new Proxy(
    {},
    {
      get: (_, key) => load()[key],
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Object.getOwnPropertyDescriptor(load(), key);
        return d && { ...d, configurable: true };
      },
    },
  );
  require.cache[shim] = placeholder;
  return true;
}

module.exports = { installLazyShim };
