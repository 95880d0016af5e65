import type { Command } from '../command.ts';
import { runSynth, synthSummary } from './synth.ts';

export const buildCommand: Command = {
  name: 'build',
  summary: 'The main job: run every pipeline stage for every environment that can run locally',
  usage: '[--env NAME]...',
  description: 'Stages, in order: synth (render and gate every environment).',
  examples: ['lockstep build', 'lockstep build --env dev --json'],
  options: {
    env: { type: 'string', multiple: true, valueName: 'NAME', description: 'Environment to build (repeatable; default: all)' },
  },
  async run(ctx) {
    const results = await runSynth(ctx);
    const summary = synthSummary(results);
    ctx.stdout(ctx.json ? `${JSON.stringify({ stages: { synth: summary.json } }, null, 2)}\n` : `synth\n${summary.text}`);
    return 0;
  },
};
