import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../aws/clients';
import { sniffImage } from '../inference/bytes';

/** An S3 object that should hold an image holds something else (said where the image would show). */
export class NotAnImageError extends Error {
  override readonly name = 'NotAnImageError';
}

export interface CloudTarget {
  bucket: string;
  table: string;
}

/**
 * One S3 + DynamoDB operation per method; errors are thrown as the SDK raised them. Items come
 * back as `unknown`: anyone with access to the table may have written them (see items.ts).
 */
export class CloudStore {
  constructor(
    private readonly clients: AwsClients,
    readonly target: CloudTarget,
  ) {}

  async putImage(key: string, bytes: Uint8Array, contentType: string, metadata: Record<string, string>): Promise<void> {
    await this.clients.s3().send(
      new PutObjectCommand({
        Bucket: this.target.bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        Metadata: metadata,
      }),
    );
  }

  /**
   * An image's bytes. Objects the browser plugin wrote hold base64 text
   * (ContentEncoding base64): those are decoded here, never rewritten in S3.
   */
  async getImage(key: string): Promise<{ bytes: Buffer; contentType: 'image/png' | 'image/jpeg' }> {
    const out = await this.clients.s3().send(new GetObjectCommand({ Bucket: this.target.bucket, Key: key }));
    if (!out.Body) throw new NotAnImageError(`S3 object ${key} is empty.`);
    let bytes = Buffer.from(await out.Body.transformToByteArray());
    let type = sniffImage(bytes);
    if (!type) {
      const decoded = Buffer.from(bytes.toString('latin1').trim(), 'base64');
      type = sniffImage(decoded);
      if (!type)
        throw new NotAnImageError(
          `S3 object ${key} holds ${bytes.length} bytes that are neither a PNG or JPEG image nor base64 of one.`,
        );
      bytes = decoded;
    }
    return { bytes, contentType: type };
  }

  async lastModified(key: string): Promise<Date | undefined> {
    const out = await this.clients.s3().send(new HeadObjectCommand({ Bucket: this.target.bucket, Key: key }));
    return out.LastModified;
  }

  async deleteObjects(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const out = await this.clients.s3().send(
        new DeleteObjectsCommand({
          Bucket: this.target.bucket,
          Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = out.Errors?.[0];
      if (failed)
        throw Object.assign(new Error(`S3 could not delete ${failed.Key}: ${failed.Message}`), {
          name: failed.Code ?? 'S3DeleteError',
        });
    }
  }

  async putItem(item: Record<string, unknown>): Promise<void> {
    await this.clients.dynamodb().send(new PutCommand({ TableName: this.target.table, Item: item }));
  }

  async getItem(project: string, generationId: string): Promise<unknown> {
    const out = await this.clients.dynamodb().send(
      new GetCommand({
        TableName: this.target.table,
        Key: { project_id: project, generation_id: generationId },
        ConsistentRead: true,
      }),
    );
    return out.Item;
  }

  async deleteItem(project: string, generationId: string): Promise<void> {
    await this.clients
      .dynamodb()
      .send(
        new DeleteCommand({ TableName: this.target.table, Key: { project_id: project, generation_id: generationId } }),
      );
  }

  /** Some attributes of every item of a project, newest sort key first (Query, every page). */
  private async queryProject(project: string, attributes: string[]): Promise<unknown[]> {
    const items: unknown[] = [];
    const pages = paginateQuery(
      { client: this.clients.dynamodb(), pageSize: 1000 },
      {
        TableName: this.target.table,
        KeyConditionExpression: 'project_id = :p',
        ExpressionAttributeValues: { ':p': project },
        ProjectionExpression: attributes.join(', '),
        ScanIndexForward: false,
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }

  /** Every generation key of a project: what orders its history. */
  listKeys(project: string): Promise<unknown[]> {
    return this.queryProject(project, ['generation_id', 'created_at', 's3_object_keys']);
  }

  /** Every generation's input in a project (ours, or the browser plugin's input_obj): what search reads. */
  listInputs(project: string): Promise<unknown[]> {
    return this.queryProject(project, ['generation_id', 'studio_input', 'input_obj']);
  }

  /** Full items by ID (BatchGetItem in parallel batches, unprocessed keys retried). */
  async getItems(project: string, ids: string[]): Promise<unknown[]> {
    const chunks: string[][] = [];
    // Small parallel batches: the first rows arrive sooner and decoding overlaps the transfer.
    for (let i = 0; i < ids.length; i += 10) chunks.push(ids.slice(i, i + 10));
    const results = await Promise.all(
      chunks.map(async (chunk) => {
        const found: unknown[] = [];
        let request: Record<string, { Keys: Array<Record<string, string>> }> | undefined = {
          [this.target.table]: { Keys: chunk.map((id) => ({ project_id: project, generation_id: id })) },
        };
        for (let attempt = 0; request && attempt < 6; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
          const out: BatchGetCommandOutput = await this.clients
            .dynamodb()
            .send(new BatchGetCommand({ RequestItems: request }));
          found.push(...(out.Responses?.[this.target.table] ?? []));
          const left: unknown[] | undefined = out.UnprocessedKeys?.[this.target.table]?.Keys;
          request =
            left && left.length > 0
              ? { [this.target.table]: { Keys: left as Array<Record<string, string>> } }
              : undefined;
        }
        if (request)
          throw Object.assign(new Error('DynamoDB kept some keys unprocessed'), {
            name: 'ProvisionedThroughputExceededException',
          });
        return found;
      }),
    );
    return results.flat();
  }

  /** Test connection: the bucket answers HeadBucket. */
  async checkBucket(): Promise<void> {
    await this.clients.s3().send(new HeadBucketCommand({ Bucket: this.target.bucket }));
  }

  /** Test connection: the table's key schema is project_id (HASH, S) + generation_id (RANGE, S). */
  async checkTable(): Promise<string | undefined> {
    const out = await this.clients.dynamodb().send(new DescribeTableCommand({ TableName: this.target.table }));
    const t = out.Table;
    const hash = t?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
    const range = t?.KeySchema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    const typeOf = (n: string | undefined) =>
      t?.AttributeDefinitions?.find((a) => a.AttributeName === n)?.AttributeType;
    if (hash !== 'project_id' || range !== 'generation_id' || typeOf(hash) !== 'S' || typeOf(range) !== 'S') {
      return `The table's key is ${hash ?? '?'} (${typeOf(hash) ?? '?'})${range ? ` + ${range} (${typeOf(range) ?? '?'})` : ''}; it must be project_id (String) as partition key and generation_id (String) as sort key.`;
    }
    return undefined;
  }
}
