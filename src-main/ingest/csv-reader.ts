// A streaming RFC 4180 CSV tokenizer. Our own rather than a library because the importer needs exact row accounting
// (short rows, blank lines, an unterminated quote at EOF) to give row-numbered errors, and a tight charCode loop over
// decoded chunks is as fast as the fastest JS parsers for this shape of data.

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

export type RowSink = (fields: string[]) => void;

export class CsvSyntaxError extends Error {}

export class CsvReader {
  private carry = '';
  private first = true;

  constructor(private readonly sink: RowSink) {}

  /** Feed the next decoded chunk. Complete rows are emitted; a partial last row waits for the next chunk. */
  push(chunk: string): void {
    let text = this.carry.length > 0 ? this.carry + chunk : chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const consumed = this.parse(text, false);
    this.carry = consumed < text.length ? text.slice(consumed) : '';
  }

  /** Flush the last row (files often lack a final newline). */
  end(): void {
    const text = this.carry;
    this.carry = '';
    if (text.length > 0) this.parse(text, true);
  }

  /** Parse rows out of `s`; returns the index where the first incomplete row starts. */
  private parse(s: string, final: boolean): number {
    const n = s.length;
    let rowStart = 0;
    let i = 0;
    let fields: string[] = [];
    let nextComma = -1;
    let nextLF = -1;
    let nextCR = -1;
    outer: while (i < n) {
      // start of a field
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        let j = i + 1;
        let value = '';
        let segStart = j;
        for (;;) {
          const q = s.indexOf('"', j);
          if (q === -1) {
            if (!final) break outer;
            throw new CsvSyntaxError('unterminated quoted field');
          }
          if (q + 1 < n && s.charCodeAt(q + 1) === QUOTE) {
            value += s.slice(segStart, q + 1);
            j = q + 2;
            segStart = j;
            continue;
          }
          if (q + 1 >= n && !final) break outer; // cannot tell yet whether "" follows
          value += s.slice(segStart, q);
          i = q + 1;
          break;
        }
        fields.push(value);
        // after a quoted field: delimiter, newline or end; tolerate stray text up to the delimiter
        if (i < n) {
          let d = s.charCodeAt(i);
          if (d !== COMMA && d !== LF && d !== CR) {
            const start = i;
            while (i < n && (d = s.charCodeAt(i)) !== COMMA && d !== LF && d !== CR) i++;
            fields[fields.length - 1] += s.slice(start, i);
            if (i >= n && !final) break outer;
          }
        }
      } else {
        // unquoted: the field ends at the next comma or line break; native indexOf finds them fastest
        if (nextComma < i) {
          nextComma = s.indexOf(',', i);
          if (nextComma < 0) nextComma = n;
        }
        if (nextLF < i) {
          nextLF = s.indexOf('\n', i);
          if (nextLF < 0) nextLF = n;
        }
        if (nextCR < i) {
          nextCR = s.indexOf('\r', i);
          if (nextCR < 0) nextCR = n;
        }
        let j = nextComma < nextLF ? nextComma : nextLF;
        if (nextCR < j) j = nextCR;
        if (j >= n && !final) break outer;
        fields.push(s.slice(i, j));
        i = j;
      }
      if (i >= n) {
        // end of input (final)
        this.emit(fields);
        fields = [];
        rowStart = n;
        break;
      }
      const d = s.charCodeAt(i);
      if (d === COMMA) {
        i++;
        if (i >= n) {
          if (!final) break;
          fields.push('');
          this.emit(fields);
          fields = [];
          rowStart = n;
        }
        continue;
      }
      // newline: CRLF, LF or lone CR
      if (d === CR) {
        if (i + 1 >= n && !final) break;
        i += i + 1 < n && s.charCodeAt(i + 1) === LF ? 2 : 1;
      } else {
        i++;
      }
      this.emit(fields);
      fields = [];
      rowStart = i;
      // skip blank lines quickly
      while (i < n) {
        const e = s.charCodeAt(i);
        if (e === LF) i++;
        else if (e === CR) {
          if (i + 1 >= n && !final) break;
          i++;
        } else break;
      }
      rowStart = i;
    }
    return rowStart;
  }

  private emit(fields: string[]): void {
    // a line holding only an empty field is a blank line, not a row
    if (fields.length === 1 && fields[0] === '') return;
    this.sink(fields);
  }
}
