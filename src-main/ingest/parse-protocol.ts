// Messages between the import worker (which owns the database) and a parse worker (which reads one file).
import type { ApplicabilitySettings, BillFormatRef, ConformanceReport, FocusDatasetId, MappingPreview, MappingTemplate, TableInspection } from '../../src-shared/api/contract';
import type { EncodedBatch } from './row-encoder';
import type { RowSample } from './row-sample';

export interface ParseRequest {
  path: string;
  /** Name used in messages ("focus.csv row 1042: …"). */
  name: string;
  /** Fingerprint the rows (row-sample.ts): asked for when other files of the delivery share this file's folder. */
  sampleRows?: boolean;
  /** Only produce the conformance report (validate), no batches. */
  validateOnly?: boolean;
  /** Applicability criteria the user set per provider (conformance). */
  applicability?: ApplicabilitySettings;
  /** Criteria set for this run only (validate --applicability), over the saved ones. */
  applicabilityOverride?: Record<string, boolean>;
  /** Saved mapping templates: a file whose header matches one is read with it. */
  templates?: MappingTemplate[];
  /** Only read the header and first rows (mapping studio). */
  inspect?: boolean;
  /** Map the first rows with this template and return them (mapping studio's live preview). */
  preview?: { template: MappingTemplate; rows: number };
}

export type ParseMessage =
  | {
      type: 'header';
      focusVersion: string;
      format: BillFormatRef;
      dataset: FocusDatasetId;
      /** FOCUS columns of the rows (the file's header for a FOCUS file, the mapping's columns for a vendor file). */
      header: string[];
      /** The file's own header. */
      sourceHeader: string[];
      stored: { name: string; kind: 'money' | 'number' | 'time' | 'text' }[];
      numeric: { name: string; kind: 'money' | 'number' | 'time' }[];
      text: string[];
    }
  | { type: 'batch'; batch: EncodedBatch; bytes: number }
  /** Rows of a supporting dataset (Contract Commitment, Invoice Detail, Billing Period): [row_no, ...values, extras]. */
  | { type: 'rows'; columns: string[]; rows: (string | number | bigint | null)[][]; bytes: number }
  | { type: 'progress'; bytes: number; rows: number }
  | { type: 'inspect'; inspection: TableInspection }
  | { type: 'preview'; preview: MappingPreview }
  /** rows: FOCUS rows produced; sourceRows: rows read from the file. */
  | { type: 'done'; rows: number; sourceRows: number; bytes: number; conformance: ConformanceReport; sample?: RowSample }
  | { type: 'error'; code: string; message: string; detail?: unknown };

/** import worker → parse worker */
export type ParseControl = { type: 'ack' } | { type: 'cancel' };
