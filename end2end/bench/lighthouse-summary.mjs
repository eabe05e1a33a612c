// Prints one Lighthouse report (JSON) as the bench's lines: the category scores, then every
// accessibility audit that failed, with the elements it names, so each can be fixed.
//
//   node bench/lighthouse-summary.mjs LABEL report.json

import { readFileSync } from 'node:fs';

const [label, file] = process.argv.slice(2);
const report = JSON.parse(readFileSync(file, 'utf8'));
const score = (c) => (c && c.score !== null ? Math.round(c.score * 100).toString() : '–');
const cats = report.categories;
console.log(
  `  ${label.padEnd(20)} performance ${score(cats.performance).padStart(3)}   accessibility ${score(cats.accessibility).padStart(3)}   best-practices ${score(cats['best-practices']).padStart(3)}`,
);
for (const ref of cats.accessibility?.auditRefs ?? []) {
  const audit = report.audits[ref.id];
  if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
    const nodes = (audit.details?.items ?? []).map((i) => i.node?.snippet).filter(Boolean);
    console.log(`    accessibility fails: ${ref.id}: ${audit.title}${nodes.length ? ` (${nodes.slice(0, 3).join(' ')})` : ''}`);
  }
}
for (const id of ['first-contentful-paint', 'interactive', 'total-blocking-time', 'total-byte-weight']) {
  const a = report.audits[id];
  if (a) console.log(`    ${a.title}: ${a.displayValue}`);
}
