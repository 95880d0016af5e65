/**
 * Go `regexp` on top of JS RegExp. RE2 is a subset of JS syntax except for `(?P<name>…)` named
 * groups and the replacement template language (`$1`, `${1}`, `$name`, `${name}`, `$$`), which
 * differ; both are translated here. Backreferences and lookarounds, which RE2 rejects, are not
 * rejected here.
 */

export function compileGoRegexp(source: string): RegExp {
  // RE2 inline flags like (?i) at the start are common in Kyverno policies.
  let flags = '';
  let body = source.replace(/\(\?P</g, '(?<');
  const inline = /^\(\?([imsU]+)\)/.exec(body);
  if (inline) {
    for (const f of inline[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
    body = body.slice(inline[0].length);
  }
  return new RegExp(body, flags);
}

/** `Regexp.ReplaceAllString` with Go's template expansion. */
export function goReplaceAll(re: RegExp, src: string, template: string, literal: boolean): string {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  return src.replace(global, (...args: unknown[]) => {
    if (literal) return template;
    const hasNamed = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null;
    const named = (hasNamed ? args[args.length - 1] : {}) as Record<string, string | undefined>;
    const groups = args.slice(0, hasNamed ? -3 : -2) as Array<string | undefined>;
    return expandTemplate(template, groups, named);
  });
}

function expandTemplate(template: string, groups: Array<string | undefined>, named: Record<string, string | undefined>): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const rest = template.slice(i + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i += 1;
      continue;
    }
    const m = /^\{([A-Za-z0-9_]+)\}/.exec(rest) ?? /^([A-Za-z0-9_]+)/.exec(rest);
    if (!m) {
      out += '$';
      continue;
    }
    const name = m[1]!;
    out += /^\d+$/.test(name) ? (groups[Number(name)] ?? '') : (named[name] ?? '');
    i += m[0].length;
  }
  return out;
}
