import type { Command } from '../command.ts';
import { loadEnvironment } from '../../config/load.ts';
import { findOnPath } from '../../release/cosign.ts';
import { readImagesJson } from '../../release/images-json.ts';
import { IMAGES_FILE, displayPath, envDistDir } from '../../release/layout.ts';
import { generateSbom, sbomStatusOf, type SbomStatus } from '../../release/sbom-status.ts';
import type { SbomFormat } from '../../supply-chain/sbom/read.ts';
import { formatProblem, LockstepError, UsageError } from '../../util/errors.ts';
import { selectEnvironments } from './environments.ts';

const FORMATS: readonly SbomFormat[] = ['spdx-json', 'cyclonedx-json'];

export const sbomCommand: Command = {
  name: 'sbom',
  summary: 'Report which images of a rendering have a valid SBOM in sboms/ (and generate missing ones with syft)',
  usage: '[--env NAME]... [--syft] [--format spdx-json|cyclonedx-json]',
  description:
    'For each image digest in dist/<env>/images.json: is its SBOM in the store sboms/, does it validate\n' +
    'against its schema, and is it the one the rendering recorded? With --syft and syft on PATH, missing\n' +
    'SBOMs are generated (`syft scan --from registry`, pinned output version) into the store; synth again\n' +
    'afterwards so workloads carry the new SBOM annotations. Exit 1 when an SBOM is invalid or changed,\n' +
    'or missing in an environment with supplyChain.requireSbom.',
  examples: ['lockstep sbom --env staging', 'lockstep sbom --env dev --syft', 'lockstep sbom --syft --format cyclonedx-json --json'],
  options: {
    env: { type: 'string', multiple: true, valueName: 'NAME', description: 'Environment to report (repeatable; default: all)' },
    syft: { type: 'boolean', description: 'Generate missing SBOMs with syft (must be on PATH)' },
    format: { type: 'string', valueName: 'FORMAT', description: 'Format of generated SBOMs: spdx-json (default) or cyclonedx-json' },
  },
  async run(ctx) {
    const format = ((ctx.values.format as string | undefined) ?? 'spdx-json') as SbomFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be spdx-json or cyclonedx-json, got ${JSON.stringify(format)}`);
    let syftPath: string | undefined;
    if (ctx.values.syft) {
      syftPath = findOnPath('syft', ctx.env['PATH']);
      if (!syftPath) throw new LockstepError({ message: 'syft not found on PATH (--syft)', fix: 'install syft, or add SBOMs to sboms/ by hand', code: 'sbom/no-syft' });
    }
    const names = await selectEnvironments(ctx.root, ctx.values.env as string[] | undefined);
    const report: { environment: string; requireSbom: boolean; imagesRecorded: boolean; images: SbomStatus[] }[] = [];
    let failed = false;
    for (const name of names) {
      const { config } = await loadEnvironment(ctx.root, name);
      const recorded = await readImagesJson(envDistDir(ctx.root, name), displayPath(name, IMAGES_FILE));
      const statuses: SbomStatus[] = [];
      for (const image of recorded ?? []) {
        let status = await sbomStatusOf(ctx.root, image);
        if (status.state === 'missing' && syftPath) {
          ctx.progress(`${name}: generating the SBOM of ${image.image} with syft`);
          status = await generateSbom(ctx.root, image.image, { syftPath, format, env: ctx.env });
        }
        if (status.state === 'invalid' || status.state === 'changed' || (status.state === 'missing' && config.supplyChain.requireSbom)) failed = true;
        statuses.push(status);
      }
      report.push({ environment: name, requireSbom: config.supplyChain.requireSbom, imagesRecorded: recorded !== undefined, images: statuses });
    }
    if (ctx.json) {
      ctx.stdout(`${JSON.stringify(report.map((r) => ({ ...r, images: r.images.map((s) => ({ ...s, problems: s.problems.map(formatProblem) })) })), null, 2)}\n`);
    } else {
      const lines: string[] = [];
      for (const r of report) {
        if (!r.imagesRecorded) {
          lines.push(`${r.environment}: no images recorded (${displayPath(r.environment, IMAGES_FILE)} not found; run lockstep synth)`);
          continue;
        }
        const count = (s: string) => r.images.filter((i) => i.state === s).length;
        lines.push(`${r.environment}: ${r.images.length} images, ${count('present') + count('generated')} with an SBOM${count('generated') ? ` (${count('generated')} generated)` : ''}, ${count('missing')} missing, ${count('invalid') + count('changed')} invalid${r.requireSbom ? ' (SBOMs required)' : ''}`);
        for (const s of r.images) {
          lines.push(`  ${s.state.padEnd(9)} ${s.image}${s.file ? `  ${s.file}` : ''}${s.packageCount !== undefined ? `  ${s.format}@${s.specVersion}, ${s.packageCount} packages` : ''}`);
          for (const p of s.problems) lines.push(`            ${formatProblem(p)}`);
        }
      }
      ctx.stdout(`${lines.join('\n')}\n`);
    }
    return failed ? 1 : 0;
  },
};
