// Run one SELECT with Comunica's link traversal from a seed document, print its rows as JSON.
// Usage: node traverse.mjs SEED QUERY  ->  [{"var": "value", ...}, ...]
// Links are followed as Comunica's default traversal configuration does: the IRIs that match the
// query's patterns, at most 1,000 documents; unreachable ones are skipped (lenient).
import { QueryEngine } from "@comunica/query-sparql-link-traversal";

const [seed, query] = process.argv.slice(2);
const engine = new QueryEngine();
const bindings = await (await engine.queryBindings(query, { sources: [seed], lenient: true })).toArray();
const rows = bindings.map((b) => Object.fromEntries([...b].map(([k, v]) => [k.value, v.value])));
process.stdout.write(JSON.stringify(rows));
