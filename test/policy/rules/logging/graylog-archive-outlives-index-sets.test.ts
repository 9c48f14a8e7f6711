import { expect } from "chai";
import { graylogArchiveOutlivesIndexSets as rule } from "../../../../policy/rules/logging/graylog-archive-outlives-index-sets";
import { DEFAULT_INDEX_SETS } from "../../../../config/loggingSchema";
import { indexPrefix } from "../../../../components/observability/logging/graylogPlan";
import { archiveExpiryDays } from "../../../../components/observability/logging/graylogArchivePlan";
import { StackResourceSpec, checkStack } from "../../../../policy/testing";
import { realStack } from "../../../support/realStacks";
import { mandatoryFindings, realStackPolicy } from "../../../support/realPolicy";
import { planWeakened } from "../../../support/weaken";

const BUCKET = "aws:s3/bucket:Bucket";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const SETS = Object.entries(DEFAULT_INDEX_SETS).map(([stack, s]) => ({ stack, prefix: indexPrefix(stack), ...s }));

function provisioning(sets: Record<string, unknown>[] = SETS): StackResourceSpec {
  return { type: "aws:lambda/invocation:Invocation", name: "management-graylog-provisioning", props: { input: JSON.stringify({ indexSets: sets }) } };
}

/** Graylog's archive bucket with a lifecycle expiring objects after `days` (none when undefined). */
function archive(days: number | undefined, name = "management-graylog-archive"): StackResourceSpec[] {
  const bucket = `${name}-bucket-1f1b67f`;
  const out: StackResourceSpec[] = [{ type: BUCKET, name: `${name}-bucket`, props: { bucket, id: bucket, tags: { Name: `${name}-bucket` } } }];
  if (days !== undefined) {
    out.push({ type: LIFECYCLE, name: `${name}-lifecycle`, props: { bucket, rules: [{ id: "archive", status: "Enabled", filter: {}, expiration: { days }, transitions: [{ days: 30, storageClass: "GLACIER_IR" }] }] } });
  }
  return out;
}

describe("graylog-archive-outlives-index-sets", () => {
  it("accepts the archive plan's expiry for the default index sets (prod 90 + 365, plus the margin)", () => {
    const expiry = archiveExpiryDays(SETS)!;
    expect(expiry).to.equal(485);
    expect(checkStack(rule, [provisioning(), ...archive(expiry)])).to.deep.equal([]);
    expect(checkStack(rule, [provisioning(), ...archive(455)]), "exactly hot + archive is enough").to.deep.equal([]);
    expect(checkStack(rule, [provisioning(), ...archive(undefined)]), "never expiring").to.deep.equal([]);
  });

  it("refuses a bucket that expires snapshots before the longest index set needs them, on the bucket", () => {
    const out = checkStack(rule, [provisioning(), ...archive(365)]);
    expect(out.map((v) => v.message)).to.deep.equal([
      "Graylog archive bucket management-graylog-archive-bucket expires objects after 365 days; management's index set needs its snapshots for 455 (hotDays + archiveDays)",
    ]);
    expect(out[0]!.urn).to.match(/::management-graylog-archive-bucket$/);
  });

  it("judges by the longest archiving index set, ignoring those that do not archive", () => {
    const sets = [{ stack: "prod", hotDays: 90, archiveDays: 700 }, { stack: "dev", hotDays: 2000, archiveDays: 0 }];
    expect(checkStack(rule, [provisioning(sets), ...archive(485)]).map((v) => v.message)).to.deep.equal([
      "Graylog archive bucket management-graylog-archive-bucket expires objects after 485 days; prod's index set needs its snapshots for 790 (hotDays + archiveDays)",
    ]);
    expect(checkStack(rule, [provisioning([{ stack: "dev", hotDays: 7, archiveDays: 0 }])])).to.deep.equal([]);
  });

  it("refuses archiving index sets with no Graylog archive bucket, and ignores other buckets", () => {
    const other: StackResourceSpec = { type: BUCKET, name: "trail-bucket", props: { bucket: "trail", id: "trail" } };
    expect(checkStack(rule, [provisioning(), other]).map((v) => v.message)).to.deep.equal([
      "management-graylog-provisioning archives management's indices for 455 days (hot + archive) but the stack has no Graylog archive bucket",
    ]);
  });

  it("does not apply without a provisioning input", () => {
    expect(checkStack(rule, archive(1))).to.deep.equal([]);
  });
});

describe("graylog-archive-outlives-index-sets on the real management stack", () => {
  it("finds Graylog's archive bucket and its lifecycle clean", async () => {
    const run = await realStack("management");
    expect(run.resources.filter((r) => r.type === BUCKET && /graylog/.test(r.name)).map((r) => r.name)).to.deep.equal(["management-graylog-archive-bucket"]);
    expect((await realStackPolicy("management")).violations.filter((v) => v.policy === rule.name)).to.deep.equal([]);
  });

  it("fails a management whose archive lifecycle expires snapshots after a year", async () => {
    const { run, hits } = await planWeakened("management", (a) => {
      if (a.type !== LIFECYCLE || !/graylog/.test(a.name)) return undefined;
      const rules = (a.props.rules as Record<string, unknown>[]).map((r) => ({ ...r, expiration: { days: 365 } }));
      return { ...a.props, rules };
    });
    expect(hits).to.equal(1);
    expect(mandatoryFindings(run.resources, "management", [rule]).map((f) => f.message)).to.deep.equal([
      "Graylog archive bucket management-graylog-archive-bucket expires objects after 365 days; management's index set needs its snapshots for 455 (hotDays + archiveDays)",
    ]);
  });
});
