import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createSchemaValidator } from './validator.ts';
import { formatProblem } from '../../util/errors.ts';
const v = createSchemaValidator();
function* walk(d: string): Generator<string> { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) yield* walk(p); else if (/\.ya?ml$/.test(f)) yield p; } }
for (const root of process.argv.slice(2)) for (const f of walk(root)) { let docs; try { docs = parseAllDocuments(readFileSync(f, 'utf8')); } catch { continue; }
  for (const d of docs as any[]) { let o; try { o = d.toJS(); } catch { continue; } if (o?.kind === 'CustomResourceDefinition') { const ps = v.registerCrd(o); console.log('CRD', o.metadata?.name, ps.map(formatProblem)); } } }
const counts: Record<string, number> = {}; let n = 0, bad = 0; const codes: Record<string, number> = {};
for (const root of process.argv.slice(2)) for (const f of walk(root)) {
  let docs; try { docs = parseAllDocuments(readFileSync(f, 'utf8')); } catch { continue; }
  for (const d of docs as any[]) { let o; try { o = d.toJS(); } catch { continue; } if (!o || typeof o !== 'object' || !o.kind || !o.apiVersion) continue;
    if (!v.has(o.apiVersion, o.kind)) { counts[`${o.apiVersion} ${o.kind}`] = (counts[`${o.apiVersion} ${o.kind}`] ?? 0) + 1; continue; }
    n++; const ps = v.validate(o); if (ps.length) { bad++; for (const p of ps) { codes[p.code!] = (codes[p.code!] ?? 0) + 1; if (process.env.SHOW) console.log(f.replace('/work/shared/fixtures/',''), formatProblem(p)); } }
  }
}
console.log({ n, bad, codes }); console.log(Object.entries(counts).sort((a,b)=>b[1]-a[1]).slice(0,15));
