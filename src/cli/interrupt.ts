import { EXIT } from './args.js';

/** SIGINT/SIGTERM handling for a command that waits: the first signal aborts, a second one exits at once. */
export class Interrupt {
  readonly controller = new AbortController();
  /** The signal that stopped the command, if one did. */
  received: NodeJS.Signals | undefined;
  private readonly handler = (signal: NodeJS.Signals) => this.onSignal(signal);

  constructor(private readonly onFirst: (signal: NodeJS.Signals) => void) {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** 130 for SIGINT, 143 for SIGTERM. */
  get exitCode(): number {
    return this.received === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (this.received) {
      // A second signal: the user will not wait for the clean-up.
      process.exit(signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint);
    }
    this.received = signal;
    this.onFirst(signal);
    this.controller.abort();
  }
}
