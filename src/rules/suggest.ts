/** "Did you mean" hints for misspelt names, by edit distance (fastest-levenshtein). */
import { distance } from "fastest-levenshtein";

/**
 * The candidate close to `input` (case-insensitive), if one is. Close means at most a third of the longer
 * name differs, so 'Sundy' finds 'Sunday' but 'x' finds nothing.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const lowered = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(lowered, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(input.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Returns ` (did you mean 'X'?)` when one candidate is close to `input` (see `closest`), else "". */
export function suggest(input: string, candidates: readonly string[]): string {
  const best = closest(input, candidates);
  return best === undefined ? "" : ` (did you mean '${best}'?)`;
}
