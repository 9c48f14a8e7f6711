import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const PAGES = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of withoutCode(markdown)) {
    const m = /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The lines outside fenced code blocks. */
function withoutCode(markdown: string): string[] {
  let fenced = false;
  return markdown.split("\n").filter((line) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    return !fenced && !/^\s*```/.test(line);
  });
}

/** Relative link targets of a page: [text](target), skipping URLs and code. */
function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  for (const line of withoutCode(markdown)) {
    for (const m of line.replace(/`[^`]*`/g, "").matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1])) links.push(m[1]);
    }
  }
  return links;
}

describe("README.md and docs/*.md links", () => {
  for (const page of PAGES) {
    it(`${page}: every relative link names an existing file and heading`, () => {
      const text = fs.readFileSync(path.join(ROOT, page), "utf8");
      const broken: string[] = [];
      for (const link of relativeLinks(text)) {
        const [file, anchor] = link.split("#");
        const target = file ? path.resolve(path.dirname(path.join(ROOT, page)), file) : path.join(ROOT, page);
        if (!fs.existsSync(target)) broken.push(`${link}: no such file`);
        else if (anchor && target.endsWith(".md") && !anchors(fs.readFileSync(target, "utf8")).has(anchor)) {
          broken.push(`${link}: no heading #${anchor} in ${path.relative(ROOT, target)}`);
        }
      }
      expect(broken).to.deep.equal([]);
    });
  }

  it("the README links every page of docs/", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const linked = new Set(relativeLinks(readme).map((l) => l.split("#")[0]));
    expect(PAGES.filter((p) => p !== "README.md" && !linked.has(p))).to.deep.equal([]);
  });

  it("finds a broken link and a missing heading (the check itself can fail)", () => {
    expect(relativeLinks("see [x](docs/nope.md) and [y](https://example.com) and `[z](a.md)`")).to.deep.equal(["docs/nope.md"]);
    expect([...anchors("# Deploying for real\n## `npm run plan`\n```\n# not a heading\n```")]).to.deep.equal(["deploying-for-real", "npm-run-plan"]);
  });
});
