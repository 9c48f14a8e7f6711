/**
 * The relay's memory, in a DynamoDB table (partition key `pk`, TTL attribute `expiresAt`): the
 * watermark (the end of the last window fully relayed) and one item per event already published,
 * kept a week. Each run searches from the watermark minus an overlap, so an event Graylog writes a
 * little late is still found, and skips the events it has already published, so none goes twice.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export interface RelayStore {
  readonly watermark: () => Promise<Date | undefined>;
  readonly setWatermark: (at: Date) => Promise<void>;
  readonly wasSent: (eventId: string) => Promise<boolean>;
  readonly markSent: (eventId: string, at: Date) => Promise<void>;
}

/** How long a published event's record is kept (far longer than the overlap it guards). */
export const SENT_TTL_SECONDS = 7 * 24 * 3600;
export const WATERMARK_KEY = "watermark";

let shared: DynamoDBClient | undefined;

export function dynamoStore(tableName: string, client?: DynamoDBClient): RelayStore {
  const sdk = () => import("@aws-sdk/client-dynamodb");
  const db = async (): Promise<DynamoDBClient> => {
    if (client) return client;
    const { DynamoDBClient: Client } = await sdk();
    shared ??= new Client({});
    return shared;
  };
  return {
    watermark: async () => {
      const { GetItemCommand } = await sdk();
      const out = await (await db()).send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: WATERMARK_KEY } }, ConsistentRead: true }));
      const at = out.Item?.at?.S;
      return at === undefined ? undefined : new Date(at);
    },
    setWatermark: async (at) => {
      const { PutItemCommand } = await sdk();
      await (await db()).send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: WATERMARK_KEY }, at: { S: at.toISOString() } } }));
    },
    wasSent: async (eventId) => {
      const { GetItemCommand } = await sdk();
      const out = await (await db()).send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `event#${eventId}` } }, ConsistentRead: true }));
      return out.Item !== undefined;
    },
    markSent: async (eventId, at) => {
      const { PutItemCommand } = await sdk();
      const expiresAt = Math.floor(at.getTime() / 1000) + SENT_TTL_SECONDS;
      await (await db()).send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: `event#${eventId}` }, sentAt: { S: at.toISOString() }, expiresAt: { N: String(expiresAt) } } }));
    },
  };
}
