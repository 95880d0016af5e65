/**
 * Entry point: regenerates `k8s-1.28.definitions.json` from the installed cdk8s-plus-28 and
 * kubernetes-models. Run after upgrading either package:
 *
 *   npx tsx src/gates/schema/regenerate-k8s-definitions.ts
 *
 * The output is vendored (not built at run time) so that validation needs neither TypeScript nor the
 * 1 MB `.d.ts` at run time, and so an upgrade shows up as a reviewable diff.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildKubernetes128Definitions, serializeDefinitions } from './k8s-definitions-source.ts';

const doc = await buildKubernetes128Definitions();
const out = fileURLToPath(new URL('./k8s-1.28.definitions.json', import.meta.url));
writeFileSync(out, serializeDefinitions(doc));
console.log(`wrote ${out}: ${Object.keys(doc.kinds).length} kinds, ${Object.keys(doc.definitions).length} definitions`);
