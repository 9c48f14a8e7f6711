/**
 * Hand-built lake resources for the analytics rule tests: an Athena workgroup shaped like the lake's
 * (enforced, SSE_KMS results under the data key, a 100 GiB scan cutoff) and the Glue catalogue
 * pointing at the raw and curated buckets.
 */
import type { StackResourceSpec } from "../../../../policy/testing";

export const WORKGROUP = "aws:athena/workgroup:Workgroup";
export const GLUE_DATABASE = "aws:glue/catalogDatabase:CatalogDatabase";
export const GLUE_TABLE = "aws:glue/catalogTable:CatalogTable";
export const DATA_KEY = "arn:aws:kms:me-south-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab";
export const RAW = "tila-prod-lake-raw-444444444444";
export const CURATED = "tila-prod-lake-curated-444444444444";
export const RESULTS = "tila-prod-athena-results-444444444444";
export const GIB = 1024 ** 3;

type Props = Record<string, unknown>;

export function workgroupProps(configuration: Props = {}): Props {
  return {
    name: "tila-prod-analysts",
    state: "ENABLED",
    configuration: {
      enforceWorkgroupConfiguration: true,
      bytesScannedCutoffPerQuery: 100 * GIB,
      resultConfiguration: { outputLocation: `s3://${RESULTS}/tila-prod-analysts/`, encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: DATA_KEY } },
      ...configuration,
    },
  };
}

/** The catalogue: a database per bucket and the orders table of each, as stack outputs. */
export function catalogue(): StackResourceSpec[] {
  return [
    { type: GLUE_DATABASE, name: "raw-db", props: { name: "tila_prod_raw", locationUri: `s3://${RAW}/topics/` } },
    { type: GLUE_DATABASE, name: "curated-db", props: { name: "tila_prod_curated" } },
    { type: GLUE_TABLE, name: "raw-orders", props: { databaseName: "tila_prod_raw", name: "orders", storageDescriptor: { location: `s3://${RAW}/topics/orders/` } } },
    { type: GLUE_TABLE, name: "curated-orders", props: { databaseName: "tila_prod_curated", name: "orders", storageDescriptor: { location: `s3://${CURATED}/topics/orders/` } } },
    { type: WORKGROUP, name: "analysts", props: workgroupProps() },
  ];
}
