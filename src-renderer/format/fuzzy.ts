// Pure fuzzy matching for the command palette: every word of the query must appear in the text in order (letters may
// be skipped, "grp reg" finds "Group by Region"); matches at word starts and in runs score higher.

export interface FuzzyMatch {
  score: number;
  /** Indices of the matched characters in the text, ascending (for highlighting). */
  indices: number[];
}

function isWordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = text[i - 1]!;
  const cur = text[i]!;
  if (/[\s._\-/:›(]/.test(prev)) return true;
  // camelCase and tag keys: ServiceName → Service|Name
  return prev >= 'a' && prev <= 'z' && cur >= 'A' && cur <= 'Z';
}

/** Best placement of one query word in the text from any start: greedy from each candidate first letter. */
function matchWord(text: string, lower: string, word: string): FuzzyMatch | null {
  let best: FuzzyMatch | null = null;
  for (let start = lower.indexOf(word[0]!); start >= 0; start = lower.indexOf(word[0]!, start + 1)) {
    const indices = [start];
    let at = start;
    for (let k = 1; k < word.length; k++) {
      at = lower.indexOf(word[k]!, at + 1);
      if (at < 0) break;
      indices.push(at);
    }
    if (indices.length < word.length) break; // a later start finds even less
    let score = 0;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      score += 1;
      if (isWordStart(text, i)) score += 6;
      if (k > 0 && indices[k - 1] === i - 1) score += 4;
      else if (k > 0) score -= Math.min(3, (i - indices[k - 1]! - 1) * 0.25);
    }
    if (start === 0) score += 4;
    if (!best || score > best.score) best = { score, indices };
  }
  return best;
}

/** How well `query` matches `text` (case-insensitive), or null when it does not. An empty query matches everything. */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { score: 0, indices: [] };
  const lower = text.toLowerCase();
  let score = 0;
  const all = new Set<number>();
  for (const w of words) {
    const m = matchWord(text, lower, w);
    if (!m) return null;
    score += m.score;
    for (const i of m.indices) all.add(i);
  }
  return { score, indices: [...all].sort((a, b) => a - b) };
}

/** Items that match, best first; equal scores keep their given order. */
export function fuzzyFilter<T>(items: readonly T[], query: string, text: (item: T) => string): Array<{ item: T; match: FuzzyMatch }> {
  if (query.trim() === '') return items.map((item) => ({ item, match: { score: 0, indices: [] } }));
  const out: Array<{ item: T; match: FuzzyMatch; order: number }> = [];
  items.forEach((item, order) => {
    const match = fuzzyMatch(query, text(item));
    if (match) out.push({ item, match, order });
  });
  out.sort((a, b) => b.match.score - a.match.score || a.order - b.order);
  return out.map(({ item, match }) => ({ item, match }));
}
