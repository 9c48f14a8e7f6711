import { expect } from "chai";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { bundleFacts, bundleFunction, pruneBundles } from "../../components/data/functionBundle";
import { DAY_MS, writeAged } from "../support/agedFile";
import { tempDirEach } from "../support/tempDir";

const DAY = DAY_MS;

describe("the Lambda bundle cache's pruning (pruneBundles)", () => {
  const dir = tempDirEach("tila-bundles-");
  const now = Date.UTC(2026, 11, 5, 12);
  const key = (c: string): string => c.repeat(32);

  /** A bundle folder of `name`, its index.js last used `daysAgo` (undefined: no index.js, the folder that old). */
  const bundle = (name: string, hex: string, daysAgo: number | undefined): string => {
    const d = path.join(dir(), `${name}-${hex}`);
    fs.mkdirSync(d, { recursive: true });
    if (daysAgo !== undefined) {
      writeAged(path.join(d, "index.js"), daysAgo, daysAgo, now, "exports.handler = 1;");
    } else {
      fs.writeFileSync(path.join(d, "index.js.123.tmp"), "");
    }
    return d;
  };
  const left = (): string[] => fs.readdirSync(dir()).sort();

  it("removes the handler's other bundles unused for two weeks, and nothing of any other handler", () => {
    const kept = bundle("log-shipper", key("a"), 40);
    bundle("log-shipper", key("b"), 15);
    bundle("log-shipper", key("c"), 3);
    bundle("log-shipper-v2", key("d"), 40);
    bundle("teams-notifier", key("e"), 40);
    fs.writeFileSync(path.join(dir(), "notes.txt"), "mine");
    pruneBundles(dir(), "log-shipper", kept, now);
    expect(left()).to.deep.equal([`log-shipper-${key("a")}`, `log-shipper-${key("c")}`, `log-shipper-v2-${key("d")}`, "notes.txt", `teams-notifier-${key("e")}`]);
  });

  it("leaves a folder another process is building (no bundle yet) unless the folder itself is two weeks old", () => {
    const fresh = bundle("audit-report", key("a"), undefined);
    const now2 = fs.statSync(fresh).mtimeMs + DAY;
    pruneBundles(dir(), "audit-report", path.join(dir(), "other"), now2);
    expect(fs.existsSync(fresh)).to.equal(true);
    pruneBundles(dir(), "audit-report", path.join(dir(), "other"), now2 + 20 * DAY);
    expect(fs.existsSync(fresh)).to.equal(false);
  });

  it("never throws on a missing cache", () => {
    expect(() => pruneBundles(path.join(dir(), "missing"), "x", "y", now)).to.not.throw();
  });
});

describe("a bundle's hash and size (bundleFacts)", () => {
  it("is the base64 SHA-256 and length of the bundle file, read once per process for every caller", () => {
    const facts = bundleFacts("teams-notifier");
    const body = fs.readFileSync(bundleFunction("teams-notifier"));
    expect(facts).to.deep.equal({ path: bundleFunction("teams-notifier"), hash: createHash("sha256").update(body).digest("base64"), bytes: body.length });
    expect(bundleFacts("teams-notifier"), "the same answer, not read again").to.equal(facts);
  });
});
