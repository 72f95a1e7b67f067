/**
 * Domain names as Route 53 stores them: lowercase, absolute (trailing dot), and with every
 * character outside `a-z 0-9 - _ .` written as a three-digit octal escape (`*` is `\052`).
 * The engine compares names only in this form.
 */

const PLAIN = /^[a-z0-9_.-]*$/;

/** A name in Route 53's stored form. Escapes already present (`\052`) are kept. */
export function storedName(name: string): string {
  let s = name.toLowerCase();
  if (!s.endsWith('.')) s += '.';
  if (PLAIN.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && /^\d{3}$/.test(s.slice(i + 1, i + 4))) {
      out += s.slice(i, i + 4);
      i += 3;
    } else if (/[a-z0-9_.-]/.test(c)) out += c;
    else out += `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** The stored form turned back into the text a DNS client uses (`\052` → `*`), without the final dot. */
export function wireName(stored: string): string {
  const s = stored.endsWith('.') ? stored.slice(0, -1) : stored;
  return s.includes('\\') ? s.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))) : s;
}

/** The name one label up (`a.b.c.` → `b.c.`), or undefined at the root. */
export function parentName(name: string): string | undefined {
  const i = name.indexOf('.');
  return i < 0 || i === name.length - 1 ? undefined : name.slice(i + 1);
}

/** True when `name` is `zone` or below it (both stored form). */
export function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** The wildcard name for the children of `name`. */
export function wildcardOf(name: string): string {
  return `\\052.${name}`;
}
