import type { LogEvent } from '../index.js';

/**
 * A log line as a person reads it: Terraform's JSON lines by their message (a diagnostic with its detail),
 * plain lines as they are. `undefined` for lines not worth showing.
 */
export function renderLogEvent(event: LogEvent): string | undefined {
  switch (event.type) {
    case 'text':
      return event.text;
    case 'diagnostic': {
      const d = event.diagnostic;
      const head = `${d.severity === 'warning' ? 'Warning' : 'Error'}: ${d.summary}`;
      const where = d.range ? `\n  on ${d.range.filename} line ${d.range.start.line}` : '';
      const detail = d.detail ? `\n\n${d.detail.replace(/^/gm, '  ')}` : '';
      return `${head}${where}${detail}`;
    }
    case 'apply_progress':
    case 'refresh_start':
      // Heartbeats every few seconds per resource: noise in a CI log.
      return undefined;
    default:
      return event.message;
  }
}
