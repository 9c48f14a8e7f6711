/** The well-formed input of a Graylog node's bootstrap the graylogBootstrap tests share (node 0 of 3 in management). */
import { GraylogBootstrapInput } from "../../components/observability/logging/graylogBootstrap";

const ACCOUNT = "arn:aws:secretsmanager:me-south-1:111111111111:secret:";
export const INPUT: GraylogBootstrapInput = {
  environment: "management",
  region: "me-south-1",
  nodeIndex: 0,
  externalUri: "https://graylog.management.internal.tila.sa/",
  mongodb: {
    hosts: [0, 1, 2].map((i) => `management-graylog-mongodb-${i}.management.internal.tila.sa`),
    port: 27017,
    replicaSet: "rs0",
    database: "graylog",
    userSecretArn: `${ACCOUNT}management/data/management-graylog-mongodb-svc-graylog-Ab12Cd`,
  },
  opensearch: {
    endpoint: "https://vpc-management-graylog-abcdefghijklmnopqrstuvwxyz.me-south-1.es.amazonaws.com",
    userSecretArn: `${ACCOUNT}management-graylog-opensearch-user-Ef34Gh`,
  },
  graylogSecretArn: `${ACCOUNT}management-graylog-server-Ij56Kl`,
};

