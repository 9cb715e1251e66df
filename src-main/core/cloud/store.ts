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

  /** An object's bytes as stored (thumbnail sheets). */
  async getObject(key: string): Promise<Uint8Array> {
    const out = await this.clients.s3().send(new GetObjectCommand({ Bucket: this.target.bucket, Key: key }));
    if (!out.Body) throw new Error(`S3 object ${key} is empty.`);
    return out.Body.transformToByteArray();
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

  /**
   * Items of a project whose sort key lies in `range`, highest key first, page by page (the SDK's
   * paginator), until `enough` says so or the range ends. Only what is read is paid for: a
   * newest-first page of ULID keys reads about a page of items.
   */
  async *queryRange(
    project: string,
    range: { below?: string; above?: string; from?: string; to?: string },
    options: { pageSize: number; attributes?: string[] },
  ): AsyncGenerator<unknown[]> {
    const values: Record<string, string> = { ':p': project };
    let condition = 'project_id = :p';
    if (range.from !== undefined && range.to !== undefined) {
      condition += ' AND generation_id BETWEEN :from AND :to';
      Object.assign(values, { ':from': range.from, ':to': range.to });
    } else if (range.below !== undefined) {
      condition += ' AND generation_id < :below';
      values[':below'] = range.below;
    } else if (range.above !== undefined) {
      condition += ' AND generation_id > :above';
      values[':above'] = range.above;
    }
    const pages = paginateQuery(
      { client: this.clients.dynamodb(), pageSize: options.pageSize },
      {
        TableName: this.target.table,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        ...(options.attributes ? { ProjectionExpression: options.attributes.join(', ') } : {}),
        ScanIndexForward: false,
      },
    );
    for await (const page of pages) yield page.Items ?? [];
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
