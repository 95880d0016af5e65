import type { IConstruct } from 'constructs';

/**
 * Registers a late check on a construct. It runs at synth, after every `add*` call, and returns
 * the problems found (empty when fine). Lockstep's synth collects the problems of every construct
 * and fails once with all of them, each prefixed with its construct path; `cdk8s synth` runs the
 * same checks through `node.validate()`.
 */
export function addCheck(construct: IConstruct, check: () => string[]): void {
  construct.node.addValidation({ validate: check });
}
