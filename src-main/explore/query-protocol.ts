import type { ApiError } from '../../src-shared/api/contract';

export type QueryMethod = 'query' | 'kpis' | 'values' | 'rows' | 'dimensions' | 'datasetQuery' | 'datasetLinks' | 'compare' | 'dataQuality' | 'warm' | 'open' | 'allocationPreview';

export type QueryRequest =
  | { id: number; method: QueryMethod; workspacePath: string; nativeBinding?: string; input: unknown }
  | { id: number; method: 'close' };

export type QueryResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ApiError };
