import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { EndpointSummary } from '../../../src-shared/aws';

const iso = (d: Date | undefined): string => (d instanceof Date ? d.toISOString() : '');

/** Every SageMaker endpoint of the region, newest first (ListEndpoints, all pages). */
export const listEndpoints = async (client: SageMakerClient): Promise<EndpointSummary[]> => {
  const { paginateListEndpoints } = await import('@aws-sdk/client-sagemaker');
  const out: EndpointSummary[] = [];
  const pages = paginateListEndpoints({ client, pageSize: 100 }, { SortBy: 'CreationTime', SortOrder: 'Descending' });
  for await (const page of pages) {
    for (const e of page.Endpoints ?? []) {
      if (!e.EndpointName) continue;
      const summary: EndpointSummary = {
        name: e.EndpointName,
        status: e.EndpointStatus ?? 'Unknown',
        createdAt: iso(e.CreationTime),
      };
      if (e.LastModifiedTime) summary.modifiedAt = iso(e.LastModifiedTime);
      out.push(summary);
    }
  }
  return out;
};

export interface EndpointState {
  status: string;
  failureReason?: string;
}

/** One endpoint's state (DescribeEndpoint). */
export const describeEndpoint = async (client: SageMakerClient, name: string): Promise<EndpointState> => {
  const { DescribeEndpointCommand } = await import('@aws-sdk/client-sagemaker');
  const out = await client.send(new DescribeEndpointCommand({ EndpointName: name }));
  const state: EndpointState = { status: out.EndpointStatus ?? 'Unknown' };
  if (out.FailureReason) state.failureReason = out.FailureReason;
  return state;
};
