/**
 * The account guards through the whole offline pipeline: the engine hands `aws:` keys to the
 * program as the Pulumi CLI would, and config/load.ts refuses a stack file whose
 * `aws:allowedAccountIds` is unset or names another account, or whose account another stack
 * already uses, before anything is created, naming the key.
 */
import { expect } from "chai";
import type { Document } from "yaml";
import { failureOfEditedStack } from "../support/editedStack";

/** The message a stack's run fails with when its stack file is edited by `edit`. */
const failureWith = (stack: string, edit: (doc: Document) => void): Promise<string> => failureOfEditedStack(stack, edit);

describe("account guards in a plan", () => {
  it("fails prod without aws:allowedAccountIds, naming the key and the value", async () => {
    const message = await failureWith("prod", (doc) => {
      expect(doc.hasIn(["config", "aws:allowedAccountIds"])).to.equal(true);
      doc.deleteIn(["config", "aws:allowedAccountIds"]);
    });
    expect(message).to.include('aws:allowedAccountIds: required: set it to ["444444444444"]');
  });

  it("fails prod when aws:allowedAccountIds lets dev's credentials in", async () => {
    const message = await failureWith("prod", (doc) => doc.setIn(["config", "aws:allowedAccountIds"], ["222222222222"]));
    expect(message).to.include('aws:allowedAccountIds: must be ["444444444444"]');
  });

  it("fails stage when it is put back in dev's account", async () => {
    const message = await failureWith("stage", (doc) => {
      doc.setIn(["config", "tila-platform:accountId"], "222222222222");
      doc.setIn(["config", "aws:allowedAccountIds"], ["222222222222"]);
    });
    expect(message).to.include("tila-platform:accountId: 222222222222 is also the account of Pulumi.dev.yaml");
  });
});
