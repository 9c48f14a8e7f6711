import { expect } from "chai";
import { EncryptionKey } from "../../components/security/EncryptionKey";
import { capture } from "../../offline/capture";
import { CaptureResult } from "../../offline/types";
import { WORKLOAD_ACCOUNT, captureOptions, run } from "../support/graph";

const TAGS = { Environment: "prod", Owner: "platform-team", CostCenter: "cc", ManagedBy: "pulumi" };

describe("EncryptionKey", () => {
  let prod: CaptureResult;
  before(async () => {
    prod = await run(() => {
      const k = new EncryptionKey("prod-data", { purpose: "data", environment: "prod", protect: true, tags: TAGS });
      return { arn: k.keyArn, alias: k.aliasName };
    });
  });

  it("creates a rotating customer-managed key with a 30-day deletion window, protected in prod", () => {
    const [key] = prod.resources.filter((r) => r.type === "aws:kms/key:Key");
    expect(key!.inputs).to.include({ enableKeyRotation: true, deletionWindowInDays: 30, description: "tila prod data" });
    expect(key!.options.protect).to.equal(true);
    expect((key!.inputs.tags as Record<string, string>).Service).to.equal("security");
  });

  it("names the key by an alias per environment and purpose, parented to the component", () => {
    const [alias] = prod.resources.filter((r) => r.type === "aws:kms/alias:Alias");
    const [component] = prod.resources.filter((r) => r.type === "tila:security:EncryptionKey");
    expect(alias!.inputs.name).to.equal("alias/tila/prod/data");
    expect(alias!.parent).to.equal(component!.urn);
    expect(prod.outputs.alias).to.equal("alias/tila/prod/data");
    expect(String(prod.outputs.arn)).to.match(/^arn:aws:kms:me-south-1:444444444444:key\//);
  });

  it("refuses a deletion window outside 7-30 days and a purpose that is not a label", async () => {
    const fail = (args: { deletionWindowInDays?: number; purpose?: string }): Promise<string> =>
      capture(() => new EncryptionKey("k", { purpose: args.purpose ?? "data", environment: "dev", deletionWindowInDays: args.deletionWindowInDays, tags: TAGS }), captureOptions("dev", WORKLOAD_ACCOUNT)).then(
        () => "no error",
        (e: Error) => e.message,
      );
    expect(await fail({ deletionWindowInDays: 3 })).to.include("deletionWindowInDays: must be 7 to 30 (got 3)");
    expect(await fail({ purpose: "Data Key" })).to.include('purpose: "Data Key" must be a lower-case label');
  });
});
