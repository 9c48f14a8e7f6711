/**
 * User data of a Graylog server node (docs/observability-logging.md#graylog-node-bootstrap).
 * Skeleton: the input is the contract between GraylogCluster and the renderer.
 */

export interface GraylogBootstrapInput {
  readonly environment: string;
  readonly region: string;
  readonly nodeIndex: number;
  /** `https://graylog.management.internal.<domain>/`: Graylog's http_external_uri. */
  readonly externalUri: string;
  /** Graylog's MongoDB replica set; the user secret holds JSON `username` and `password`. */
  readonly mongodb: {
    readonly hosts: readonly string[];
    readonly port: number;
    readonly replicaSet: string;
    readonly database: string;
    readonly userSecretArn: string;
  };
  /** The OpenSearch domain (`https://<endpoint>`); the user secret holds JSON `username` and `password`. */
  readonly opensearch: { readonly endpoint: string; readonly userSecretArn: string };
  /** Graylog's own secret: JSON `passwordSecret` (password_secret) and `rootPassword` (the admin's, hashed on the node). */
  readonly graylogSecretArn: string;
}

/** The script (plain text; the caller compresses it when it would pass the 16 KB user-data limit). */
export function renderGraylogBootstrap(input: GraylogBootstrapInput): string {
  throw new Error(`renderGraylogBootstrap: not built yet (node ${input.nodeIndex})`);
}
