import { expect } from "chai";
import { ecsNoSecretsInEnvironment as rule, secretLookingName, secretLookingValue } from "../../../../policy/rules/compute/noSecretsInEnvironment";
import { checkResource } from "../../../../policy/testing";
import { TASK_DEFINITION, container, taskDefinition } from "./fixtures";

const withEnv = (name: string, value = "x") => taskDefinition([container({ environment: [{ name, value }] })]);

describe("ecs-no-secrets-in-environment", () => {
  it("accepts plain configuration variables and secrets injected from Secrets Manager", () => {
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition())).to.deep.equal([]);
  });

  it("rejects secret-looking names passed as plain values", () => {
    for (const name of ["DB_PASSWORD", "REDIS_AUTH_TOKEN", "STRIPE_API_KEY", "jwtSecret", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "DBPASSWORD", "GITLAB_CREDENTIALS", "DB_PWD"]) {
      expect(checkResource(rule, TASK_DEFINITION, withEnv(name)), name).to.have.length(1).and.match(/plain environment variable/);
    }
  });

  it("accepts names that describe a secret rather than hold it, and words that merely contain KEY or PASS", () => {
    for (const name of ["DB_PASSWORD_ARN", "TOKEN_URL", "SECRET_NAME", "CACHE_KEY_PREFIX", "KEYSPACE", "COMPASS_URL", "PWD", "JWT_PUBLIC_KEY", "API_KEY_ID"]) {
      expect(secretLookingName(name), name).to.equal(false);
    }
  });

  it("rejects credentials embedded in values whatever the name", () => {
    expect(checkResource(rule, TASK_DEFINITION, withEnv("MONGODB_CONNECT", "mongodb://admin:hunter2@db:27017"))).to.have.length(1).and.match(/URL with a password/);
    expect(secretLookingValue("AKIAABCDEFGHIJKLMNOP")).to.equal("an AWS access key id");
    expect(secretLookingValue("mongodb://db-0:27017,db-1:27017/?replicaSet=rs0")).to.equal(undefined);
  });
});
