/**
 * The analytics rules on the real captured graphs: clean on prod's and preprod's lake as planned, and
 * each refusing one resource of the real prod graph edited in memory (the workgroup's override, its
 * result encryption, its scan limit, a lake bucket's key, a lake bucket's policy), so the rules are
 * shown to bite on the shapes AnalyticsLake really builds, with no extra engine run. The stack's
 * policy config (policy/config/prod.json) supplies the scan bound.
 */
import { expect } from "chai";
import type { CapturedResource } from "../../../../offline/types";
import { athenaWorkgroupEnforced } from "../../../../policy/rules/analytics/athenaWorkgroupEnforced";
import { athenaWorkgroupScanLimit } from "../../../../policy/rules/analytics/athenaWorkgroupScanLimit";
import { lakeBucketsEncryptedPrivate } from "../../../../policy/rules/analytics/lakeBucketsEncryptedPrivate";
import { mandatoryFindings } from "../../../support/realPolicy";
import { realStack } from "../../../support/realStacks";

const RULES = [athenaWorkgroupEnforced, athenaWorkgroupScanLimit, lakeBucketsEncryptedPrivate];
const WORKGROUP = "aws:athena/workgroup:Workgroup";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
type Props = Record<string, unknown>;

/** The graph with `edit` applied to the inputs and outputs of the resources `pick` selects (copies; the shared run is untouched). */
function edited(resources: readonly CapturedResource[], pick: (r: CapturedResource) => boolean, edit: (props: Props) => Props): CapturedResource[] {
  const copy = (p: Props): Props => edit(JSON.parse(JSON.stringify(p)) as Props);
  let n = 0;
  const out = resources.map((r) => (pick(r) ? (n++, { ...r, inputs: copy(r.inputs), outputs: copy(r.outputs) }) : r));
  expect(n, "the edit picks exactly one resource").to.equal(1);
  return out;
}
const messages = (resources: readonly CapturedResource[], stack = "prod") => mandatoryFindings(resources, stack, RULES).map((f) => `${f.policy}: ${f.message}`);
const withConfiguration = (change: (c: Props) => Props) => (p: Props): Props => ({ ...p, configuration: change(p.configuration as Props) });

describe("analytics rules on the real stacks", () => {
  let prod: CapturedResource[];
  const isWorkgroup = (r: CapturedResource) => r.type === WORKGROUP;
  const rawBucket = () => prod.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "prod-lake-raw")!;
  const ofRaw = (type: string) => (r: CapturedResource) => r.type === type && r.inputs.bucket === (rawBucket().id ?? rawBucket().outputs.id);
  before(async function () {
    this.timeout(300_000);
    prod = (await realStack("prod")).resources;
  });

  it("find prod's and preprod's lake enforced, limited and on the data key", async () => {
    expect(prod.filter(isWorkgroup)).to.have.length(1);
    expect(messages(prod)).to.deep.equal([]);
    expect(messages((await realStack("preprod")).resources, "preprod")).to.deep.equal([]);
  });

  it("refuse the real workgroup when clients may override it, or its results fall back to SSE_S3", () => {
    expect(messages(edited(prod, isWorkgroup, withConfiguration((c) => ({ ...c, enforceWorkgroupConfiguration: false }))))).to.deep.equal([
      "athena-workgroup-enforced: workgroup tila-prod-analysts: configuration.enforceWorkgroupConfiguration is not true: a client could send its results elsewhere, unencrypted",
    ]);
    const sseS3 = withConfiguration((c) => ({ ...c, resultConfiguration: { ...(c.resultConfiguration as Props), encryptionConfiguration: { encryptionOption: "SSE_S3" } } }));
    expect(messages(edited(prod, isWorkgroup, sseS3))).to.deep.equal([
      'athena-workgroup-enforced: workgroup tila-prod-analysts: results are encrypted with "SSE_S3"; set encryptionConfiguration.encryptionOption to SSE_KMS (or CSE_KMS) with kmsKeyArn',
    ]);
  });

  it("refuse the real workgroup without a scan limit, or above prod's configured 100 GB", () => {
    const none = withConfiguration(({ bytesScannedCutoffPerQuery: _c, ...c }) => c);
    expect(messages(edited(prod, isWorkgroup, none))).to.deep.equal(["athena-workgroup-scan-limit: workgroup tila-prod-analysts: configuration.bytesScannedCutoffPerQuery is not set, so a query may scan the whole lake"]);
    const tb = withConfiguration((c) => ({ ...c, bytesScannedCutoffPerQuery: 1e12 }));
    expect(messages(edited(prod, isWorkgroup, tb))[0]).to.match(/^athena-workgroup-scan-limit: workgroup tila-prod-analysts: bytesScannedCutoffPerQuery 1000000000000 exceeds the stack's bound of 107374182400 bytes/);
  });

  it("refuse the real raw bucket on SSE-S3, and a public Allow added to its policy", () => {
    const name = String(rawBucket().outputs.bucket ?? rawBucket().id);
    expect(messages(edited(prod, ofRaw(SSE), (p) => ({ ...p, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] })))).to.deep.equal([
      `lake-buckets-encrypted-private: lake bucket ${name} does not default to SSE-KMS (sseAlgorithm aws:kms with the data key as kmsMasterKeyId)`,
    ]);
    const open = (p: Props): Props => {
      const doc = JSON.parse(String(p.policy)) as { Statement: Props[] };
      doc.Statement.push({ Sid: "Share", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${name}/*` });
      return { ...p, policy: JSON.stringify(doc) };
    };
    expect(messages(edited(prod, ofRaw(POLICY), open))).to.deep.equal([`lake-buckets-encrypted-private: lake bucket ${name}: its policy allows "s3:GetObject" to anyone (statement "Share")`]);
  });
});
