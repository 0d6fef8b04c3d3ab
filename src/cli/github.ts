// GitHub Actions workflow commands (`::group::`, `::error::`, `::add-mask::`), written as text lines. The runner
// reads them from a step's stdout and stderr alike (actions/runner, NodeScriptActionHandler: one OutputManager
// per stream), so they go to stderr with the progress they frame, in order.

type Env = Record<string, string | undefined>;

/** True inside a GitHub Actions job. */
export function inGithubActions(env: Env = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** A command's message, escaped as the runner unescapes it (`%`, CR, LF). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: the message's escapes plus `:` and `,`, which end a property. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::name key=value,…::message` as one line. */
export function workflowCommand(
  name: string,
  message: string,
  properties: Record<string, string | undefined> = {},
): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}\n`;
}
