/**
 * Named sections of docs/benchmarks.md written by other commands than `npm run bench` (e.g.
 * `npm run bench:page`), between `<!-- section:NAME -->` and `<!-- /section:NAME -->`. Each
 * command replaces only its own section, and `npm run bench` keeps the others when it rewrites
 * the file.
 */
const SECTION = /<!-- section:([\w-]+) -->[\s\S]*?<!-- \/section:\1 -->\n?/g;

/** The marked sections of `text`, in order, each with its markers and a trailing newline. */
export function markedSections(text: string): string[] {
  return [...text.matchAll(SECTION)].map((m) => (m[0].endsWith('\n') ? m[0] : `${m[0]}\n`));
}

/** `text` with section `name` set to `body` (replaced in place, or appended after a blank line). */
export function replaceSection(text: string, name: string, body: string): string {
  const block = `<!-- section:${name} -->\n${body.trimEnd()}\n<!-- /section:${name} -->\n`;
  const pattern = new RegExp(`<!-- section:${name} -->[\\s\\S]*?<!-- /section:${name} -->\\n?`);
  if (pattern.test(text)) return text.replace(pattern, () => block);
  return `${text.trimEnd()}\n\n${block}`;
}
