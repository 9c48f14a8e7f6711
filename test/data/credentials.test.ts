import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ManagedCredential } from "../../components/data/credentials";
import { CREDENTIAL_TARGETS, credentialPolicy, resolveCredential } from "../../components/data/credentialPolicy";
import { CaptureResult } from "../../offline/types";
import { T, captureError, one, run, tagsFor } from "./managedHarness";

const COMPONENT = "tila:data:ManagedCredential";
const KEY_ARN = "arn:aws:kms:me-south-1:444444444444:key/11111111-2222-4333-a444-555555555555";

function resultOf(result: CaptureResult, name: string): string {
  return one(result, T.RANDOM, `${name}-password`).outputs.result as string;
}

describe("credentialPolicy", () => {
  it("keeps RDS MySQL passwords free of the characters RDS refuses and within 41 characters", () => {
    const p = credentialPolicy("rds-mysql");
    for (const c of ["/", '"', "@", " "]) expect(p.specials).not.to.include(c);
    expect(p.maxLength).to.equal(41);
    expect(p.defaultLength).to.be.within(p.minLength, p.maxLength);
  });

  it("limits ElastiCache AUTH tokens to 16-128 characters and the specials ElastiCache allows", () => {
    const p = credentialPolicy("elasticache-redis");
    expect([p.minLength, p.maxLength]).to.deep.equal([16, 128]);
    for (const c of p.specials) expect("!&#$^<>-", c).to.include(c);
    for (const c of ["@", '"', "/"]) expect(p.specials).not.to.include(c);
  });

  it("makes OpenSearch master passwords carry an upper, a lower, a digit and a special", () => {
    const p = credentialPolicy("opensearch");
    expect([p.minUpper, p.minLower, p.minNumeric, p.minSpecial].every((n) => n >= 1)).to.equal(true);
    expect(p.minLength).to.be.at.least(8);
  });

  it("never lets a special character that breaks quoting or URLs into any target", () => {
    fc.assert(fc.property(fc.constantFrom(...CREDENTIAL_TARGETS), (target) => {
      const specials = credentialPolicy(target).specials;
      return !/['"\\`:/@\s]/.test(specials) && specials.length > 0;
    }));
  });

  it("keeps deleted secrets recoverable for 30 days in prod and 7 elsewhere", () => {
    const days = (environment: "prod" | "preprod" | "dev") => {
      const r = resolveCredential({ environment, target: "rds-mysql" });
      return r.ok ? r.value.recoveryWindowDays : undefined;
    };
    expect([days("prod"), days("preprod"), days("dev")]).to.deep.equal([30, 7, 7]);
  });

  it("rejects a length outside the target's limits and a username the service refuses, naming each field", () => {
    const tooShort = resolveCredential({ environment: "dev", target: "elasticache-redis", length: 15 });
    const tooLong = resolveCredential({ environment: "dev", target: "rds-mysql", length: 42, username: "db-admin" });
    expect(tooShort.ok ? [] : tooShort.issues).to.deep.equal(["length: elasticache-redis passwords are 16-128 characters, got 15"]);
    const issues = tooLong.ok ? [] : tooLong.issues;
    expect(issues).to.have.length(2);
    expect(issues[0]).to.match(/^username: "db-admin" must be 1-16 letters or digits/);
    expect(issues[1]).to.match(/^length: rds-mysql passwords are 12-41 characters, got 42/);
  });
});

describe("ManagedCredential", () => {
  let result: CaptureResult;

  before(async () => {
    result = await run(() => {
      const mysql = new ManagedCredential("db-credential", {
        environment: "prod",
        target: "rds-mysql",
        kmsKeyArn: KEY_ARN,
        connection: { host: "db.example.internal", port: 3306 },
        tags: tagsFor("prod"),
      });
      const redis = new ManagedCredential("cache-token", { environment: "prod", target: "elasticache-redis", tags: tagsFor("prod") });
      const search = new ManagedCredential("search-master", { environment: "prod", target: "opensearch", username: "searchadmin", length: 40, tags: tagsFor("prod") });
      return {
        mysqlSecretArn: mysql.secretArn,
        redisUsername: redis.username,
        searchUsername: search.username,
        // A probe, never done in a stack: proves the exposed password is a secret Output.
        probe: mysql.password,
        probeIsSecret: pulumi.isSecret(mysql.password),
      };
    }, "prod");
  });

  it("generates each password with its target's length and character rules", () => {
    const mysql = one(result, T.RANDOM, "db-credential-password").inputs;
    expect(mysql).to.include({ length: 32, special: true, overrideSpecial: credentialPolicy("rds-mysql").specials, minUpper: 1, minLower: 1, minNumeric: 1, minSpecial: 1 });
    expect(one(result, T.RANDOM, "cache-token-password").inputs).to.include({ length: 64, overrideSpecial: "!&#$^<>-" });
    expect(one(result, T.RANDOM, "search-master-password").inputs).to.include({ length: 40, minUpper: 1, minLower: 1, minNumeric: 1, minSpecial: 1 });
  });

  it("stores the credential in a Secrets Manager secret with a 30-day recovery window in prod", () => {
    const secret = one(result, T.SECRET, "db-credential-secret");
    expect(secret.inputs).to.include({ recoveryWindowInDays: 30, kmsKeyId: KEY_ARN });
    expect(secret.inputs.namePrefix).to.equal("prod/data/db-credential-");
    expect(secret.inputs.name).to.equal(undefined);
    expect(one(result, T.SECRET, "cache-token-secret").inputs.kmsKeyId).to.equal(undefined);
  });

  it("writes {username, password, engine, host, port} as a secret version of that secret", () => {
    const version = one(result, T.SECRET_VERSION, "db-credential-secret-version");
    expect(version.secretInputs).to.include("secretString");
    expect(version.inputs.secretId).to.equal(one(result, T.SECRET, "db-credential-secret").id);
    expect(JSON.parse(version.inputs.secretString as string)).to.deep.equal({
      username: "dbadmin",
      password: resultOf(result, "db-credential"),
      engine: "mysql",
      host: "db.example.internal",
      port: 3306,
    });
  });

  it("records the AUTH token under Redis's default user, with no host when none is given", () => {
    const doc = JSON.parse(one(result, T.SECRET_VERSION, "cache-token-secret-version").inputs.secretString as string);
    expect(doc).to.deep.equal({ username: "default", password: resultOf(result, "cache-token"), engine: "redis" });
  });

  it("exposes the password only as a secret Output", () => {
    expect(result.outputs.probeIsSecret).to.equal(true);
    expect(result.secretOutputs).to.include("probe");
  });

  it("registers the secret ARN and username as outputs, never the password", () => {
    const component = one(result, COMPONENT, "search-master");
    expect(component.outputs).to.deep.equal({ secretArn: one(result, T.SECRET, "search-master-secret").outputs.arn, username: "searchadmin" });
    for (const name of ["db-credential", "cache-token", "search-master"]) {
      expect(JSON.stringify(one(result, COMPONENT, name).outputs)).not.to.include(resultOf(result, name));
    }
    expect(result.outputs).to.include({ redisUsername: "default", searchUsername: "searchadmin" });
  });

  it("parents the password, secret and version to the credential", () => {
    for (const name of ["db-credential", "cache-token", "search-master"]) {
      const urn = one(result, COMPONENT, name).urn;
      const children = result.resources.filter((r) => r.parent === urn).map((r) => r.type).sort();
      expect(children).to.deep.equal([T.RANDOM, T.SECRET, T.SECRET_VERSION].sort());
    }
  });

  it("uses a 7-day recovery window outside prod", async () => {
    const dev = await run(() => {
      new ManagedCredential("dev-credential", { environment: "dev", target: "opensearch", tags: tagsFor("dev") });
      return {};
    }, "dev");
    expect(one(dev, T.SECRET, "dev-credential-secret").inputs.recoveryWindowInDays).to.equal(7);
  });

  it("throws a ResourceError naming the field on a bad length", async () => {
    const err = await captureError(() => new ManagedCredential("bad", { environment: "prod", target: "elasticache-redis", length: 200, tags: tagsFor("prod") }));
    expect(err.constructor.name).to.equal("ResourceError");
    expect(err.message).to.include('ManagedCredential "bad"').and.include("length: elasticache-redis passwords are 16-128 characters, got 200");
  });
});
