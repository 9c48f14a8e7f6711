import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { readSecretString } from "../../functions/shared/secretString";

const mockSecrets = () => mockClient(SecretsManagerClient);

describe("functions/shared/secretString.ts: a provisioning Lambda's secret read", () => {
  // Mocked in before(), not while the file loads: a later mock of the same class replaces it.
  let sm: ReturnType<typeof mockSecrets>;
  before(() => {
    sm = mockSecrets();
  });
  afterEach(() => sm.reset());
  after(() => sm.restore());

  it("returns the secret's string, asking for exactly that secret", async () => {
    sm.on(GetSecretValueCommand, { SecretId: "arn:secret:master" }).resolves({ SecretString: '{"username":"admin"}' });
    expect(await readSecretString("arn:secret:master")).to.equal('{"username":"admin"}');
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).to.deep.equal([{ SecretId: "arn:secret:master" }]);
  });

  it("refuses a secret that holds binary data only, naming it", async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });
    let error: unknown;
    try {
      await readSecretString("arn:secret:binary");
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain("secret arn:secret:binary has no SecretString");
  });

  it("lets a failed call through to the handler, which fails the invocation", async () => {
    sm.on(GetSecretValueCommand).rejects(new Error("AccessDeniedException"));
    let error: unknown;
    try {
      await readSecretString("arn:secret:other");
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain("AccessDeniedException");
  });
});
