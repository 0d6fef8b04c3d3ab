import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { printed } from './child-output.js';

const node = (script: string) =>
  spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });

describe('printed', () => {
  it('resolves with the first text matching the pattern', async () => {
    const child = node('console.log("starting"); console.log("ready on 8080"); setTimeout(() => {}, 200)');
    expect(await printed(child, /ready on \d+/)).toBe('ready on 8080');
  });

  it('counts a line printed just before the child exits', async () => {
    expect(await printed(node('console.log("done")'), /^.*\n/)).toBe('done\n');
  });

  it('rejects with the child’s stderr when it exits before printing', async () => {
    const child = node('console.error("Error: bad flag --port"); process.exit(3)');
    await expect(printed(child, /listening/)).rejects.toThrow(
      /the child ended \(exit code 3\) before printing \/listening\/.*stderr: Error: bad flag --port/s,
    );
  });

  it('rejects when the child cannot start', async () => {
    const child = spawn('/nonexistent/tfe-test-binary', [], { stdio: ['ignore', 'pipe', 'pipe'] });
    await expect(printed(child, /listening/)).rejects.toThrow(/the child failed: spawn .*ENOENT/);
  });

  it('reads stderr when asked, and rejects naming what it printed there', async () => {
    const child = node('console.error("[ 0.1s] Uploading"); process.exit(1)');
    await expect(printed(child, /Run planning/, 'stderr')).rejects.toThrow(
      /exit code 1\) before printing .*stderr: \[ 0\.1s\] Uploading/s,
    );
  });
});
