import { expect } from "chai";
import * as path from "path";
import { readStackFiles } from "../../config/load";
import { ENVIRONMENTS, environmentConfigSchema } from "../../config/schema";
import { retentionIssues } from "../../config/retention";
import { perFiveMinutes } from "../../components/retentionFloors";

const real = readStackFiles(path.resolve(__dirname, "../..")).raw;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** The parts of a stack file the floors read, as the tests edit them. */
interface Editable {
  network: { flowLogs: { destination?: string; retentionDays: number } };
  data: { snapshotRetentionDays: number };
  services: { logRetentionDays: number };
  edge: { accessLogRetentionDays: number; waf: { rateLimit: number; rateWindowSeconds?: number; logRetentionDays: number } };
}

/** The floors' issues for `stack`'s real file after `edit` (the whole file must still parse). */
function issuesFor(stack: string, edit: (raw: Editable) => void): string[] {
  const raw = clone(real[stack as keyof typeof real]!) as unknown as Editable;
  edit(raw);
  const settings = environmentConfigSchema.parse(raw);
  return retentionIssues(stack, settings).map((i) => `${i.path}: ${i.message}`);
}

describe("config validation: retention floors and the WAF ceiling", () => {
  it("accepts every real environment", () => {
    for (const env of ENVIRONMENTS) expect(issuesFor(env, () => undefined), env).to.deep.equal([]);
  });

  it("holds flow logs to a year in prod and a quarter in preprod, on either destination", () => {
    expect(issuesFor("prod", (r) => (r.network.flowLogs.retentionDays = 180))).to.deep.equal([
      "tila-platform:network.flowLogs.retentionDays: prod keeps VPC flow logs (s3) at least 365 days (got 180)",
    ]);
    expect(issuesFor("preprod", (r) => (r.network.flowLogs = { destination: "cloudwatch", retentionDays: 60 }))).to.deep.equal([
      "tila-platform:network.flowLogs.retentionDays: preprod keeps VPC flow logs (cloudwatch) at least 90 days (got 60)",
    ]);
  });

  it("holds ALB access logs and WAF logs to the same floors", () => {
    expect(issuesFor("prod", (r) => {
      r.edge.accessLogRetentionDays = 90;
      r.edge.waf.logRetentionDays = 180;
    })).to.deep.equal([
      "tila-platform:edge.accessLogRetentionDays: prod keeps ALB access logs at least 365 days (got 90)",
      "tila-platform:edge.waf.logRetentionDays: prod keeps WAF logs at least 365 days (got 180)",
    ]);
  });

  it("keeps service logs 90 days in prod, as log-group-retention-set does", () => {
    expect(issuesFor("prod", (r) => (r.services.logRetentionDays = 30))).to.deep.equal([
      "tila-platform:services.logRetentionDays: prod keeps service logs at least 90 days (got 30)",
    ]);
  });

  it("keeps two weeks of data-cluster snapshots in prod and preprod only", () => {
    expect(issuesFor("preprod", (r) => (r.data.snapshotRetentionDays = 7))).to.deep.equal([
      "tila-platform:data.snapshotRetentionDays: preprod keeps daily snapshots of the data clusters at least 14 days (got 7)",
    ]);
    expect(issuesFor("dev", (r) => (r.data.snapshotRetentionDays = 1))).to.deep.equal([]);
  });

  it("leaves dev and stage without retention floors", () => {
    expect(issuesFor("stage", (r) => {
      r.network.flowLogs.retentionDays = 1;
      r.edge.accessLogRetentionDays = 1;
      r.edge.waf.logRetentionDays = 1;
    })).to.deep.equal([]);
  });

  it("refuses a rate limit above 10,000 per five minutes in every environment, whatever the window", () => {
    expect(issuesFor("dev", (r) => {
      r.edge.waf.rateLimit = 2001;
      r.edge.waf.rateWindowSeconds = 60;
    })).to.deep.equal([
      "tila-platform:edge.waf.rateLimit: 2001 requests per 60 s from one IP is too high to stop a single source; at most 2000 (10000 per five minutes)",
    ]);
    expect(issuesFor("dev", (r) => {
      r.edge.waf.rateLimit = 20000;
      r.edge.waf.rateWindowSeconds = 600;
    })).to.deep.equal([]);
    expect(perFiveMinutes(2000, 60)).to.equal(10000);
  });

  it("judges only the sections that parsed", () => {
    expect(retentionIssues("prod", {})).to.deep.equal([]);
  });
});
