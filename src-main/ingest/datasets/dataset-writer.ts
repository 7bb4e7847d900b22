// Stores rows of a supporting FOCUS dataset inside the import's transaction. These datasets are keyed (a commitment
// id; an invoice line; an issuer's billing period), and providers re-deliver them as records change (an invoice
// goes from Open to Issued, a period from Open to Closed): a row whose key was delivered before replaces the older
// row instead of standing beside it. Rows without a full key are kept as they are.
import type { Db } from '../../store/workspace';
import { DATASET_KEY, DATASET_TABLE, type SupportingDataset } from './supporting';

export class DatasetWriter {
  private insert: ReturnType<Db['prepare']> | null = null;
  private columns: string[] = [];
  rows = 0;

  constructor(
    private readonly db: Db,
    readonly dataset: SupportingDataset,
    private readonly fileId: number,
  ) {}

  write(columns: string[], rows: (string | number | bigint | null)[][]): void {
    if (this.insert === null || columns.join('\0') !== this.columns.join('\0')) {
      this.columns = columns;
      const names = ['file_id', 'row_no', ...columns.map((c) => `"${c}"`), 'extras'];
      this.insert = this.db.prepare(`INSERT INTO ${DATASET_TABLE[this.dataset]} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
    }
    for (const r of rows) this.insert.run([this.fileId, ...r]);
    this.rows += rows.length;
  }

  /** Drop older rows that this file's rows supersede (same full key). Returns how many were replaced. */
  replaceByKey(): number {
    const table = DATASET_TABLE[this.dataset];
    const key = DATASET_KEY[this.dataset];
    const present = new Set(
      (this.db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]),
    );
    if (!key.every((k) => present.has(k))) return 0;
    const cond = key.map((k) => `old."${k}" = new."${k}"`).join(' AND ');
    const notNull = key.map((k) => `new."${k}" IS NOT NULL`).join(' AND ');
    const res = this.db
      .prepare(
        `DELETE FROM ${table} WHERE rowid IN (
           SELECT old.rowid FROM ${table} old JOIN ${table} new ON ${cond}
           WHERE new.file_id = ? AND old.file_id < ? AND ${notNull})`,
      )
      .run(this.fileId, this.fileId);
    // a file none of whose rows remain is no longer part of the workspace (importing it again is new again)
    this.db
      .prepare(
        `UPDATE import_file SET active = 0 WHERE dataset = ? AND id < ? AND active = 1
         AND NOT EXISTS (SELECT 1 FROM ${table} WHERE file_id = import_file.id)`,
      )
      .run(this.dataset, this.fileId);
    return res.changes;
  }
}
