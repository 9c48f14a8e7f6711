/** tila-platform:delivery refused whole on what AWS would refuse or what would widen who may publish, each issue naming its key. */
import { expect } from "chai";
import * as path from "path";
import { readStackFiles } from "../../config/load";
import { deliveryIssues } from "../../config/deliveryIssues";
import { RawConfig, validateStackConfig } from "../../config/validate";

const ROOT = path.resolve(__dirname, "../..");
const real = readStackFiles(ROOT).raw;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function issuesFor(stack: "management" | "prod", edit: (raw: RawConfig) => void): string[] {
  const raw = clone(real[stack]!);
  edit(raw);
  const r = validateStackConfig(stack, "me-south-1", raw, { ...real, [stack]: raw });
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

type Delivery = { approvers: string[]; jenkins: { issuerUrl: string; subjects: string[] } };
const delivery = (raw: RawConfig): Delivery => raw.delivery as Delivery;

describe("delivery config", () => {
  it("the real management file sets delivery and raises no delivery issue", () => {
    expect(real.management!.delivery).to.not.equal(undefined);
    expect(deliveryIssues(real.management!)).to.deep.equal([]);
  });

  it("refuses Jenkins' issuer when it is GitLab's URL: one OIDC provider per URL, and GitLab's jobs would be trusted as Jenkins", () => {
    const issues = issuesFor("management", (raw) => {
      const gitlab = ((raw.security as { gitlab?: { url?: string } }).gitlab ?? {}).url ?? "https://gitlab.com";
      // The same URL with a trailing slash: IAM names both providers by the same URL.
      delivery(raw).jenkins.issuerUrl = `${gitlab}/`;
    });
    expect(issues).to.have.length(1);
    expect(issues[0]).to.match(/^tila-platform:delivery\.jenkins\.issuerUrl: .* is also security\.gitlab\.url/);
  });

  it("refuses an approver listed twice, whatever the case, naming the second entry", () => {
    // The same address in other case: the same mailbox in practice.
    const issues = issuesFor("management", (raw) => delivery(raw).approvers.push(delivery(raw).approvers[0]!.toUpperCase().replace(/\.SA$/, ".sa")));
    expect(issues).to.have.length(1);
    expect(issues[0]).to.match(/^tila-platform:delivery\.approvers\[1\]: .* is already approvers\[0\]/);
  });

  it("refuses a Jenkins subject that matches every job", () => {
    const issues = issuesFor("management", (raw) => delivery(raw).jenkins.subjects.push("*"));
    expect(issues).to.deep.equal([
      'tila-platform:delivery.jenkins.subjects[1]: "*" matches every job of the Jenkins instance; name the jobs (e.g. https://jenkins.tila.sa/job/services/job/*)',
    ]);
  });

  it("reports every problem of the key at once", () => {
    const issues = issuesFor("management", (raw) => {
      delivery(raw).approvers.push(delivery(raw).approvers[0]!);
      delivery(raw).jenkins.subjects = ["**"];
    });
    expect(issues.map((i) => i.split(":")[1])).to.deep.equal(["delivery.approvers[1]", "delivery.jenkins.subjects[0]"]);
  });

  it("refuses the delivery key in an environment's file, naming it: only management runs the pipelines", () => {
    const issues = issuesFor("prod", (raw) => {
      raw.delivery = clone(real.management!.delivery);
    });
    expect(issues.filter((i) => /delivery/.test(i)), issues.join("\n")).to.have.length(1);
    expect(issues.find((i) => /delivery/.test(i))).to.match(/^tila-platform:delivery: /);
  });
});
