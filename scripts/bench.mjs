#!/usr/bin/env node
// `npm run bench -- --agents N [--json]`: Lockstep's pipeline against the plain-data floor and
// cdk8s-plus, each in a fresh process. The logic lives in src/bench/run.ts (run through tsx, as
// the CLI does).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/bench/run.ts');
process.exitCode = await main(process.argv.slice(2));
