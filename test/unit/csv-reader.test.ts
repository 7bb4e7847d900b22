import { describe, expect, it } from 'vitest';
import { CsvReader, CsvSyntaxError } from '../../src-main/ingest/csv-reader';

function parseInChunks(text: string, size: number): string[][] {
  const rows: string[][] = [];
  const r = new CsvReader((f) => rows.push(f));
  for (let i = 0; i < text.length; i += size) r.push(text.slice(i, i + size));
  r.end();
  return rows;
}

const SAMPLE = '\uFEFFa,b,c\r\n1,"x,y",3\r\n\r\n4,"say ""hi""",\r\n6,"multi\nline",null\n\n7,,9';
const EXPECTED = [
  ['a', 'b', 'c'],
  ['1', 'x,y', '3'],
  ['4', 'say "hi"', ''],
  ['6', 'multi\nline', 'null'],
  ['7', '', '9'],
];

describe('CsvReader', () => {
  it('parses quotes, escaped quotes, embedded newlines, CRLF, BOM and blank lines', () => {
    expect(parseInChunks(SAMPLE, SAMPLE.length)).toEqual(EXPECTED);
  });

  it('gives the same rows whatever the chunk boundaries', () => {
    for (let size = 1; size <= 12; size++) expect(parseInChunks(SAMPLE, size)).toEqual(EXPECTED);
  });

  it('keeps short rows short so the importer can name them', () => {
    expect(parseInChunks('a,b,c\n1,2\n', 3)).toEqual([['a', 'b', 'c'], ['1', '2']]);
  });

  it('reports an unterminated quote at the end of input', () => {
    expect(() => parseInChunks('a,b\n1,"open\n', 4)).toThrow(CsvSyntaxError);
  });

  it('handles a lone CR line ending and a trailing comma at end of file', () => {
    expect(parseInChunks('a,b\r1,', 2)).toEqual([['a', 'b'], ['1', '']]);
  });
});
