// V8 represents a substring of 13+ characters as a view into its parent string. The CSV reader's cells are such
// views into ~1 MB decoded chunks, so keeping one cell in a long-lived map keeps its whole chunk alive: a 1 GB file
// would stay in memory through its dictionaries. Anything kept beyond the current row goes through ownString.
export function ownString(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
