// Cost and Usage ContractApplied (FOCUS 1.3+) read for commitment burn-down: per commitment id and billing currency,
// the exactly summed ContractCommitmentAppliedCost, the applied quantity and the rows that applied it, plus counts of
// what could not be read. Reads every active row that has a ContractApplied (a partial index finds them), so its cost
// grows with those rows, not with the workspace.
import { parseDecimalNanos } from '../ingest/decimal';
import type { Db } from '../store/workspace';

const ACTIVE = 'file_id IN (SELECT id FROM import_file WHERE active = 1)';

/** What Cost and Usage applied of one commitment, in one billing currency. */
export interface Applied {
  id: string;
  /** dict id of the rows' BillingCurrency (0: none) until decoded. */
  currencyId: number;
  currency: string | null;
  /** Sum in nanos: a safe-integer part for speed, spilling into the bigint before it could lose precision. */
  nanos: bigint;
  smallNanos: number;
  quantity: number;
  rows: number;
}

/** ContractApplied read over every Cost and Usage row that has one, and what could not be read. */
class AppliedAccumulator {
  /** currency dict id → commitment id → sums */
  readonly byCurrency = new Map<number, Map<string, Applied>>();
  /**
   * The value whose elements are arriving and the commitments they named so far: a row counts once per commitment
   * even when two of its elements name it. json_each is the innermost loop, so one value's elements are contiguous.
   */
  private docJ = -1;
  private docC = -1;
  private readonly docIds: string[] = [];
  badJson = 0;
  noElements = 0;
  noId = 0;
  badAmounts = 0;

  /** Element `key` of one ContractApplied value (dict id `j`) carried by `n` rows in currency `c`. */
  step(j: number, c: number, n: number, valid: number, key: number | null, type: string | null, id: unknown, cost: string | null, qty: string | null): void {
    if (!valid) this.badJson += n;
    else if (type === null) this.noElements += n;
    else if (type !== 'object' || id === null || id === '') this.noId += n;
    else {
      const costText = jsonNumberText(cost);
      const nanos = costText === null ? 0 : parseDecimalNanos(costText);
      const qtyText = jsonNumberText(qty);
      const quantity = qtyText === null ? 0 : Number(qtyText);
      if (nanos === null || !Number.isFinite(quantity)) {
        this.badAmounts += n;
        return;
      }
      const cid = typeof id === 'string' ? id : String(id);
      let inCurrency = this.byCurrency.get(c);
      if (!inCurrency) this.byCurrency.set(c, (inCurrency = new Map()));
      let a = inCurrency.get(cid);
      if (!a) inCurrency.set(cid, (a = { id: cid, currencyId: c, currency: null, nanos: 0n, smallNanos: 0, quantity: 0, rows: 0 }));
      const product = typeof nanos === 'number' ? nanos * n : NaN;
      if (Number.isSafeInteger(product) && Math.abs(a.smallNanos + product) <= Number.MAX_SAFE_INTEGER) a.smallNanos += product;
      else a.nanos += BigInt(nanos) * BigInt(n);
      a.quantity += quantity * n;
      if (key === 0 || j !== this.docJ || c !== this.docC) {
        this.docJ = j;
        this.docC = c;
        this.docIds.length = 0;
      }
      if (!this.docIds.includes(cid)) {
        this.docIds.push(cid);
        a.rows += n;
      }
    }
  }
}

/** Text of a JSON value as `->` returns it ('12.5', '"12.5"', 'null') to its decimal text, or null. */
function jsonNumberText(v: string | null): string | null {
  if (v === null || v === 'null') return null;
  if (v.startsWith('"')) {
    const s = (JSON.parse(v) as string).trim();
    return s === '' ? null : s;
  }
  return v;
}

/** Applied amounts per commitment and currency; what could not be read goes to `notes` as sentences. */
export function appliedByCommitment(db: Db, notes: string[]): Applied[] {
  // Rows are grouped by their ContractApplied value first (a dictionary id: identical JSON is read once, however many
  // rows carry it); each element then goes to a JS aggregate, which sums exactly without SQLite sorting the elements.
  // `->` returns a number's JSON text as written, so amounts are parsed from their decimal text, never a float.
  // Elements are read through the parsed document (`fullkey`) rather than re-parsing each element's text.
  // FOCUS 1.3's text spells the keys ContractCommitmentID/ContractID, 1.4 (and the 1.3 errata) ...Id: both are read.
  let acc: AppliedAccumulator | null = null;
  // A fixed arity (better-sqlite3 takes it from step.length; varargs is slower). The typings only know one-argument
  // aggregates, hence the cast.
  const step = (
    a: AppliedAccumulator,
    j: number,
    c: number,
    n: number,
    valid: number,
    key: number | null,
    type: string | null,
    id: unknown,
    cost: string | null,
    qty: string | null,
  ) => a.step(j, c, n, valid, key, type, id, cost, qty);
  db.aggregate('mb_contract_applied', {
    start: () => new AppliedAccumulator(),
    step: step as never,
    result: (a: AppliedAccumulator) => {
      acc = a;
      return null;
    },
  });
  const el = (key: string) => `d.value -> (e.fullkey || '.${key}')`;
  // A value that is not JSON makes json_each fail the whole statement: such values are rare (conformance reports
  // them), so the statement first runs without checking each value, and only on that failure again with the check.
  const run = (careful: boolean) =>
    db
      .prepare(
        `WITH ca AS (
           SELECT "ContractApplied" AS j, coalesce("BillingCurrency", 0) AS c, count(*) AS n FROM cost_usage
           WHERE "ContractApplied" IS NOT NULL AND ${ACTIVE} GROUP BY 1, 2)
         SELECT mb_contract_applied(ca.j, ca.c, ca.n, ${careful ? 'json_error_position(d.value) = 0' : '1'}, e.key, e.type,
           CASE WHEN e.type = 'object'
             THEN coalesce(json_extract(d.value, e.fullkey || '.ContractCommitmentId'), json_extract(d.value, e.fullkey || '.ContractCommitmentID')) END,
           CASE WHEN e.type = 'object' THEN ${el('ContractCommitmentAppliedCost')} END,
           CASE WHEN e.type = 'object' THEN ${el('ContractCommitmentAppliedQuantity')} END)
         FROM ca JOIN dict d ON d.id = ca.j
         LEFT JOIN json_each(${careful ? "CASE WHEN json_error_position(d.value) = 0 THEN d.value ELSE '{}' END" : 'd.value'}, '$.Elements') e`,
      )
      .get();
  try {
    run(false);
  } catch (e) {
    if (!/malformed JSON/i.test((e as Error).message)) throw e;
    run(true);
  }
  const a = acc as AppliedAccumulator | null;
  if (!a) return [];
  if (a.badJson > 0) notes.push(`${rowsHave(a.badJson)} a ContractApplied that is not JSON; not counted in any commitment.`);
  if (a.noElements > 0) notes.push(`${rowsHave(a.noElements)} a ContractApplied with no Elements; not counted.`);
  if (a.noId > 0) notes.push(`${rowsHave(a.noId)} ContractApplied elements that name no ContractCommitmentId; not counted.`);
  if (a.badAmounts > 0) notes.push(`${rowsHave(a.badAmounts)} ContractApplied elements whose applied cost or quantity is not a number; not counted.`);
  const list = [...a.byCurrency.values()].flatMap((m) => [...m.values()]);
  const currencies = new Map(
    (db.prepare('SELECT id, value FROM dict WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify([...new Set(list.map((x) => x.currencyId))])) as {
      id: number;
      value: string;
    }[]).map((r) => [r.id, r.value]),
  );
  for (const x of list) {
    x.currency = currencies.get(x.currencyId) ?? null;
    x.nanos += BigInt(x.smallNanos);
    x.smallNanos = 0;
  }
  return list;
}

/** "1 Cost and Usage row has" / "3 Cost and Usage rows have". */
function rowsHave(n: number): string {
  return n === 1 ? '1 Cost and Usage row has' : `${n} Cost and Usage rows have`;
}
