import type { ChildProcess } from 'node:child_process';

/**
 * Resolves with the first text on the child's `stream` matching `pattern`. Rejects, naming what the child wrote
 * to stderr, when it ends or fails to start before printing it: a test fails at once instead of hanging.
 */
export function printed(
  child: ChildProcess,
  pattern: RegExp,
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let stderr = '';
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) settle(() => resolve(match[0]));
    };
    const onStderr = (chunk: Buffer | string) => {
      stderr += chunk.toString();
    };
    const fail = (why: string) =>
      settle(() => {
        const err = stream === 'stderr' ? seen : stderr;
        const output = stream === 'stderr' ? '' : `; stdout: ${JSON.stringify(seen)}`;
        reject(new Error(`${why} before printing ${pattern}${output}; stderr: ${err || '(nothing)'}`));
      });
    // 'close', not 'exit': the child's output is all read by then, so a line printed just before exiting counts.
    const onClose = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`the child ended (${signal ?? `exit code ${code}`})`);
    const onError = (err: Error) => fail(`the child failed: ${err.message}`);
    const settle = (then: () => void) => {
      child[stream]?.off('data', onData);
      child.stderr?.off('data', onStderr);
      child.off('close', onClose);
      child.off('error', onError);
      then();
    };
    child[stream]?.on('data', onData);
    if (stream === 'stdout') child.stderr?.on('data', onStderr);
    child.on('close', onClose);
    child.on('error', onError);
  });
}
