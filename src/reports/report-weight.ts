// How much a reader's report counts. A reporter's reliability comes from moderators' past decisions on
// their reports: (upheld + 1) / (upheld + dismissed + 2), so a new reporter counts 0.5, one whose
// reports were upheld approaches 1 and one whose reports were dismissed approaches 0.
//
// The brigade rule: reporters with no decided report yet ("fresh") count together at most
// FRESH_CAP on one comment, however many they are. Ten fresh tokens made for a burst can bring a
// comment to the Reported queue (the default queue threshold is 1.0) but never hide it on their own
// (the default hide threshold is 2.5); reporters whose reports moderators upheld can.

const FRESH_CAP = 1;

export function reliability(decisions: { upheld: number; dismissed: number } | undefined): number {
  const upheld = decisions?.upheld ?? 0;
  const dismissed = decisions?.dismissed ?? 0;
  return (upheld + 1) / (upheld + dismissed + 2);
}

/** A comment's weighted score from its open reports. */
export function weightedScore(reports: { weight: number; fresh: boolean }[]): number {
  let established = 0;
  let fresh = 0;
  for (const r of reports) {
    if (r.fresh) fresh += r.weight;
    else established += r.weight;
  }
  return Math.round((established + Math.min(fresh, FRESH_CAP)) * 1000) / 1000;
}
