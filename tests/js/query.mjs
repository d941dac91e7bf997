// Run one SPARQL query with Comunica against an endpoint or over a document, print what came back as JSON.
// Usage: node query.mjs URL QUERY [sparql|document]  ->  {"kind": "bindings"|"boolean"|"quads", "rows": [...]}
// "document": Comunica dereferences URL itself (its own Accept header, redirects followed) and queries what it read.
import { QueryEngine } from "@comunica/query-sparql";

const [endpoint, query, kind = "sparql"] = process.argv.slice(2);
const engine = new QueryEngine();
const context = { sources: [kind === "document" ? endpoint : { type: "sparql", value: endpoint }] };

const result = await engine.query(query, context);
let output;
if (result.resultType === "bindings") {
  const bindings = await (await result.execute()).toArray();
  output = { kind: "bindings", rows: bindings.map((b) => Object.fromEntries([...b].map(([k, v]) => [k.value, v.value]))) };
} else if (result.resultType === "boolean") {
  output = { kind: "boolean", rows: [await result.execute()] };
} else {
  const quads = await (await result.execute()).toArray();
  output = { kind: "quads", rows: quads.map((q) => [q.subject.value, q.predicate.value, q.object.value]) };
}
process.stdout.write(JSON.stringify(output));
