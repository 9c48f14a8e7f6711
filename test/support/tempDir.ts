/** Temporary folders for tests: made fresh before each test (or once for a describe) and removed after. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

function hooks(prefix: string, make: (fn: () => void) => void, remove: (fn: () => void) => void): () => string {
  let dir: string | undefined;
  make(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  remove(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (dir === undefined) throw new Error(`temporary folder "${prefix}" read outside a test`);
    return dir;
  };
}

/** A new empty folder for every test of the enclosing describe; call the result to get its path. */
export function tempDirEach(prefix: string): () => string {
  return hooks(prefix, beforeEach, afterEach);
}

/** One folder shared by the tests of the enclosing describe. */
export function tempDirOnce(prefix: string): () => string {
  return hooks(prefix, before, after);
}
