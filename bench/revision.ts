/** Which version of the library was measured: git commit and whether src/ had local changes. */
import { execFileSync } from 'node:child_process';

export function codeRevision(): string {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const subject = git('log', '-1', '--format=%s');
    const dirty = git('status', '--porcelain', '--', 'src').length > 0;
    return `commit ${commit} ("${subject}")${dirty ? ', with uncommitted changes in src/' : ', src/ clean'}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
