import type { Stage } from '../config/types.ts';
import { checkImageReference } from '../config/images.ts';
import { containersOf, podTemplateOf } from '../k8s/objects.ts';
import type { Problem } from '../util/errors.ts';
import type { RenderedObject } from '../synth/render.ts';

/** Every container image: never `:latest`, pinned by digest outside dev. */
export function checkImages(objects: readonly RenderedObject[], stage: Stage): Problem[] {
  const problems: Problem[] = [];
  for (const o of objects) {
    const t = podTemplateOf(o.json);
    if (!t) continue;
    for (const { container, pointer } of containersOf(t.spec, t.pointer)) {
      const issue = checkImageReference(String(container.image ?? ''), stage);
      if (issue) problems.push({ constructPath: o.constructPath, file: o.path, pointer: `${pointer}/image`, code: 'image/pinned', message: issue.message, fix: issue.fix });
    }
  }
  return problems;
}
