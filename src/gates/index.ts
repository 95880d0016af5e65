import type { Gate } from '../synth/synth.ts';

/** Gates beyond the built-in synth gates (schema, pod security), wired as they land. */
export function defaultGates(): Gate[] {
  return [];
}
