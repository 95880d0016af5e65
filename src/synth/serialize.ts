import jsYaml from 'js-yaml';

/**
 * Serializes one object as a YAML document. js-yaml is used instead of the `yaml` package cdk8s
 * bundles: it is about 4× faster and parses back to the same objects (performance-baseline.md §1,
 * §9). Options are pinned so output is byte-stable: keys are already sorted by the renderer, no
 * line folding, no anchors, double quotes, and YAML 1.1-compatible quoting of values like `yes`/`on`
 * (kubectl and Argo CD read YAML with 1.1 rules).
 */
export function toYaml(obj: unknown): string {
  return jsYaml.dump(obj, { lineWidth: -1, noRefs: true, quotingType: '"', sortKeys: false, noCompatMode: false });
}
