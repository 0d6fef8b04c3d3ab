// Help texts: what `tfe --help` and `tfe <command> --help` print. Kept apart so help loads nothing else.

const CONNECTION = `Connection (flags, or the environment):
  --token <token>        API token. Prefer the environment: TFE_TOKEN, TF_API_TOKEN, or
                         TF_TOKEN_<hostname> (dots as underscores, as Terraform reads it).
  --address <url>        TFE address. Env TFE_ADDRESS, TFE_HOSTNAME, TF_HOSTNAME,
                         TF_CLOUD_HOSTNAME (all set must name one host);
                         default https://app.terraform.io`;

const WORKSPACE = `Workspace:
  --organization <name>  Env TFE_ORGANIZATION, TF_CLOUD_ORGANIZATION
  --workspace <name>     Env TFE_WORKSPACE, TF_WORKSPACE
  --workspace-id <id>    Instead of organization and name (ws-…)`;

const RUN_ATTRS = `Run:
  --message <text>       Run message (default: names the CI job when there is one)
  --plan-only            Speculative plan: never applied
  --destroy              Plan to destroy every resource
  --refresh-only         Only refresh the state
  --no-refresh           Plan without refreshing the state first
  --target <addr>        Limit the plan to this resource (repeatable)
  --replace <addr>       Force this resource's replacement (repeatable)
  --var <key=value>      Run variable, sent as a string (repeatable)
  --var-hcl <key=expr>   Run variable as an HCL expression, e.g. 'ids=["a","b"]' (repeatable)
  --var-file <file>      The variables of a .tfvars (HCL) or .tfvars.json file, each value sent as its
                         HCL literal (repeatable; read in order). Blocks, references, function calls and
                         other expressions are refused: the Runs API takes literal values
  --env-vars             Send the TF_VAR_<name> environment variables too (a value starting with
                         [ or { as HCL, others as strings). Later sources win: TF_VAR_*, then
                         --var-file, then --var / --var-hcl
  --save-plan            A saved plan on a provisional configuration version: ends "saved" (exit 0),
                         applied later with tfe run apply <id>; not with --plan-only or --apply
  --allow-empty-apply    Apply even when the plan has no changes (e.g. to upgrade the state)
  --terraform-version <v>  Terraform version of a --plan-only run`;

/** The waiting flags; `started` says whether the command started the run (and so cancels it by default). */
const waiting = (started: boolean) => `Waiting and reporting:
  --timeout <duration>   Give up after e.g. 30m or 1h30m (see --on-interrupt), exit 1; 0: no limit
  --queue-timeout <d>    Give up when the run waits in the queue this long (pending behind another
                         run, or queued for capacity), exit 1 naming what it waits for; 0: no limit.
                         Default in CI (CI set): 10m, or 30s when what it waits for waits for a
                         person (a run awaiting confirmation, a user's lock); elsewhere no limit
  --poll-interval <d>    First wait between status reads (default 1s, growing to 3s)
  --on-interrupt <what>  On SIGINT/SIGTERM, --timeout or --queue-timeout: ${
    started
      ? `cancel (default: this command
                         started it; discards a run that waits) or leave the run as it is.`
      : `leave the run as it is
                         (default: this command only watches it) or cancel it (discards a run that waits).`
  }
                         Exit 130 (SIGINT) or 143 (SIGTERM).
  --detailed-exitcode    Exit 2 when the run succeeded and its plan has changes
  --json                 One JSON document on stdout; progress stays on stderr
  --dotenv <file>        Write the outputs as a dotenv file (a GitLab CI dotenv report). The file,
                         GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are checked before anything is created`;

const PR_COMMENT = `Plan review:
  --pr-comment           Create, or update on later runs, one comment per workspace on the pull
                         request (GitHub Actions: GITHUB_TOKEN with pull-requests: write) or merge
                         request (GitLab CI: GITLAB_TOKEN, a token with the api scope) holding the
                         resource-level plan summary. Outside a pull request it says so and does
                         nothing; a failure to comment is a warning, never a failed run.
  With --json, or in GitHub Actions (GITHUB_STEP_SUMMARY), the resource-level summary is read from
  the JSON plan (a user or team token with admin access to the workspace) and added too.`;

const EXIT_CODES = `Exit codes:
  0    Success: the run ended well (applied, planned, or waits for confirmation when not asked to apply)
  1    The run failed: errored, canceled, discarded, policy check failed or needs an override,
       waits for a run task decision, or --timeout passed; or an API or network error
  2    With --detailed-exitcode: success, and the plan has changes (as terraform -detailed-exitcode)
  3    Usage or configuration error: a bad flag or value, a missing token, organization or workspace,
       a token TFE refuses, or a workspace it cannot find. The message says what to fix.
  130  Interrupted by SIGINT (143: SIGTERM), after canceling the run unless --on-interrupt leave
       (tfe run wait leaves it unless --on-interrupt cancel)
  A closed stdout (tfe run list | head -1) ends the command quietly: exit 0, or the exit code it was
  ending with; the run is left as it is (not 141 as a writer killed by SIGPIPE: pipefail stays green).`;

const CI = `CI:
  In GitHub Actions (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), run commands write the step outputs
  run-id, status, outcome, run-url, has-changes, additions, changes, destructions (plus
  workspace-id, configuration-version-id, plan-id, cost-estimate-id, cost-estimate-status,
  proposed-monthly-cost, delta-monthly-cost) and a Markdown summary of the run; progress is
  grouped per phase and a failure is an error annotation saying what to do.
  In GitLab CI, --dotenv tfe.env with artifacts:reports:dotenv exposes the same as TFE_RUN_ID,
  TFE_RUN_STATUS, TFE_RUN_OUTCOME, TFE_RUN_URL, TFE_HAS_CHANGES, TFE_ADDITIONS, …, TFE_PLAN_ID.`;

/** `tfe --help`. */
export const MAIN_HELP = `tfe — Terraform Cloud / Enterprise runs from CI, without a line of code

Usage: tfe <command> [flags]

Commands:
  run                    Upload a directory, start a run, wait, apply if asked: the API-driven
                         workflow in one step
  upload                 Create a configuration version and upload a directory or .tar.gz
  run create             Start a run on an uploaded (or the latest) configuration version
  run show <run-id>      Show a run: status, outcome, counts, URL
  run list               List a workspace's runs
  run wait <run-id>      Wait until a run settles; exit code from its outcome
  run apply <run-id>     Confirm a run that waits for confirmation (also: discard, cancel,
                         force-cancel, force-execute)
  run logs <run-id>      Print the plan or apply log (--phase, --follow)
  plan show <run-id>     The plan's resource changes (--markdown for a PR comment, --json for
                         Terraform's JSON plan)
  run override <run-id>  Override what a run waits on: a task stage's failed run tasks or
                         policies, or soft-failed policy checks (--comment)
  run override-policy <run-id>
                         Override the run's soft-failed Sentinel policy checks (--comment)
  run comment <run-id>   Add a comment to a run (--body)
  workspace show         Show a workspace (also: lock, unlock)
  variable list          List a workspace's variables (also: set KEY=VALUE…, delete KEY)
  outputs                Print the outputs of a workspace's current state
  fake-server            Start an in-memory fake TFE for demos and tests

Global:
  -h, --help             Help for tfe, or for a command: tfe run --help
  --version              Print the version

${CONNECTION}

Environment: TFE_TOKEN/TF_API_TOKEN/TF_TOKEN_<host>,
TFE_ADDRESS/TFE_HOSTNAME/TF_HOSTNAME/TF_CLOUD_HOSTNAME, TFE_ORGANIZATION/TF_CLOUD_ORGANIZATION,
TFE_WORKSPACE/TF_WORKSPACE. The token is never printed.

${EXIT_CODES}

${CI}

Examples:
  tfe run --organization acme --workspace prod --dir infra --apply auto
  tfe run --workspace prod --plan-only --detailed-exitcode --json > run.json
  RUN=$(tfe run create --workspace prod --message "release 1.2"); tfe run wait "$RUN"
  tfe variable set --workspace prod --category env --sensitive AWS_SECRET_ACCESS_KEY
  tfe outputs --workspace prod --json > outputs.json
`;

const COMMANDS: Record<string, string> = {
  run: `Usage: tfe run [flags]

The API-driven run workflow in one step: resolve the workspace, create a configuration version,
upload the directory (packed with .terraformignore), wait for it, start a run, wait for it, apply
when asked, and report. Each step and status change is printed to stderr with the elapsed time.

Source:
  --dir <path>           Directory to upload (default: the current directory), packed as
                         Terraform packs it (see tfe upload --help)
  --tarball <file>       A .tar.gz to upload instead
  --symlinks <mode>      A symlink pointing outside the directory: dereference (default)
                         uploads a copy of what it points to; refuse fails instead

${RUN_ATTRS}

Apply:
  --apply <mode>         never (default): stop after the plan; a run with changes waits for
                         confirmation (tfe run apply <id>). confirm: apply once the plan is done.
                         auto: the run applies by itself (auto-apply).
  --logs                 Stream the plan and apply logs to stderr while waiting

${PR_COMMENT}

Run tasks and policies:
  A run held by a failed mandatory run task or a soft policy failure (pre_plan/post_plan
  _awaiting_decision, policy_override) exits 1. The report names the stage, each failed task
  and policy with its enforcement level and link (--json: "decision"; the step summary: a
  table), and says how to let it go on: tfe run override <run-id> --comment "why", when the
  token may override (else who must).

Before creating anything, tfe run refuses a --tarball that is not gzip and a --dir without *.tf
or *.tf.json files (exit 3), and warns when the upload holds node_modules/ or is over 50 MB
(exclude such files with .terraformignore). An errored run's report quotes Terraform's errors.

${waiting(true)}

${WORKSPACE}

${CONNECTION}

${EXIT_CODES}

${CI}
`,
  upload: `Usage: tfe upload [flags]

Creates a configuration version, uploads a directory or a .tar.gz, waits until TFE has processed
it, and prints its id on stdout. With --list, only shows what the directory would be packed into.

  --dir <path>           Directory to upload (default: the current directory)
  --tarball <file>       A .tar.gz to upload instead
  --symlinks <mode>      A symlink pointing outside the directory: dereference (default, as
                         Terraform) uploads a copy of what it points to (a file's content, a
                         directory's files), whatever it is; refuse fails instead
  --list                 List the files that would be packed, with sizes, and what is left
                         out and by which rule; needs no token, creates and uploads nothing
  --dry-run              The same as --list
  --speculative          Only for plan-only runs
  --provisional          Not the workspace's current configuration until a run on it is applied
                         (for saved plans: tfe run create --save-plan --configuration-version <id>)
  --auto-queue-runs      Let TFE start a run on it at once
  --timeout <duration>   Give up after e.g. 10m (default 10m)
  --json                 One JSON document on stdout

Refuses (exit 3, before creating anything) a --tarball that is not gzip and a --dir without
Terraform files; warns when the upload holds node_modules/ or is over 50 MB.

Packing a directory (as Terraform's own packer, go-slug, packs it):
  Left out by default: .git/ and .terraform/ at any depth, except .terraform/modules/.
  .terraformignore at the root adds rules, one per line; # starts a comment; spaces around
  a rule are dropped. The last rule that matches a path decides.
    *.tfvars             * and ? never cross /; a rule without a leading / matches at any
                         depth, even one with a / inside (foo/bar.tf matches x/foo/bar.tf)
    /plan.out            a leading / anchors the rule to the directory's root
    build/               a trailing / matches a directory and everything below it
    docs                 without the /, only the directory's own entry: its files stay
    **/cache/**          ** matches any number of directories, including none
    log[0-9].txt         a character class; [!a] or [^a] negates it
    !keep.tfvars         re-includes what an earlier rule left out, also below an
                         excluded directory (the directory's own entry stays out)
    \\#notes             a backslash makes the next character literal
  Rules and names are compared in Unicode NFC, so a macOS decomposed name matches.
  Symlinks inside the directory are uploaded as links; names that are not UTF-8 keep
  their bytes.

${WORKSPACE}

${CONNECTION}

Exit codes: 0 uploaded (or listed), 1 failed, 3 usage or configuration error.
`,
  'run create': `Usage: tfe run create [flags]

Starts a run and prints its id on stdout. With --wait, waits until it settles and exits by its
outcome, as tfe run does.

  --configuration-version <id>  The uploaded version to run (default: the workspace's latest)
  --auto-apply           Apply without confirmation when the plan succeeds
  --wait                 Wait for the run to settle

${RUN_ATTRS}

${waiting(true)}

${WORKSPACE}

${CONNECTION}

${EXIT_CODES}
`,
  'run show': `Usage: tfe run show <run-id> [--json] [--pr-comment]

Shows a run: workspace, status, outcome, plan and apply counts, and its URL in the TFE UI. For an
errored run, Terraform's errors from the failed phase's log.

  --json                 One JSON document on stdout

${PR_COMMENT}

${CONNECTION}
`,
  'plan show': `Usage: tfe plan show <run-id> [--markdown | --json]

Prints what a run's plan changes, resource by resource: created, updated (with the changed
attributes), replaced, destroyed, read, imported, moved and forgotten resources, drift, and
output changes. Sensitive values are masked; values known only after apply say so. A plan-…
id may be given instead of a run id. Waits while the plan is still running.

  --markdown             The Markdown that --pr-comment posts (under GitHub's 65,536 characters)
  --json                 Terraform's JSON plan as the API serves it (terraform show -json format).
                         Like terraform show -json, it holds sensitive values in clear text.
  --timeout <duration>   How long to wait for an unfinished plan (default 10m)

Reading the JSON plan needs a user or team token with admin access to the workspace
(organization tokens cannot).

${CONNECTION}

Exit codes: 0 printed, 1 no JSON plan (plan errored, Terraform before 0.12) or an API error,
3 usage or configuration error.
`,
  'run list': `Usage: tfe run list [flags]

Lists a workspace's runs, newest first; with --organization and no workspace (flag, TFE_WORKSPACE
or TF_WORKSPACE), or with --workspace-names, the organization's runs.

  --status <s,…>         Only runs in these states, e.g. planning,applied (repeatable)
  --operation <o,…>      Only these operations: plan_only, plan_and_apply, save_plan, refresh_only,
                         destroy, empty_apply (repeatable). TFE leaves plan-only runs out of a
                         workspace's list unless asked for
  --workspace-names <n,…>  Organization list: only the runs of these workspaces (repeatable)
  --limit <n>            At most n runs (default 20)
  --json                 One JSON document on stdout: {"workspace" or "organization", "runs": […],
                         "exitCode"}

${WORKSPACE}

${CONNECTION}
`,
  'run wait': `Usage: tfe run wait <run-id> [flags]

Waits until a run settles (ends, or waits for someone) and exits by its outcome. A run waiting
for a decision (a failed run task or policy) is reported with what it waits on and how to
override it (tfe run override). It only watches: on Ctrl-C the run is left as it is unless
--on-interrupt cancel.

${waiting(false)}

${CONNECTION}

${EXIT_CODES}
`,
  'run apply': `Usage: tfe run apply <run-id> [--comment <text>] [--wait …]

Confirms a run that waits for confirmation. With --wait, waits for the apply and exits by its
outcome; as it started the apply, Ctrl-C cancels it unless --on-interrupt leave.

  --comment <text>       Comment on the confirmation
  --wait                 Wait for the apply to end

${waiting(true)}

${CONNECTION}
`,
  'run discard': `Usage: tfe run discard <run-id> [--comment <text>]

Discards a run that waits for confirmation or for its turn.

  --comment <text>       Why, as a comment on the run
  --json                 One JSON document on stdout

${CONNECTION}
`,
  'run cancel': `Usage: tfe run cancel <run-id> [--comment <text>]

Interrupts a planning or applying run, like Ctrl-C in Terraform.

  --comment <text>       Why, as a comment on the run
  --json                 One JSON document on stdout

${CONNECTION}
`,
  'run force-cancel': `Usage: tfe run force-cancel <run-id> [--comment <text>]

Ends a run at once; allowed only some time after a cancel that did not stop it.

  --comment <text>       Why, as a comment on the run
  --json                 One JSON document on stdout

${CONNECTION}
`,
  'run force-execute': `Usage: tfe run force-execute <run-id>

Discards the runs ahead of a pending run so it starts now.

  --json                 One JSON document on stdout

${CONNECTION}
`,
  'run logs': `Usage: tfe run logs <run-id> [flags]

Prints a run's plan or apply log on stdout. Terraform's JSON log lines are shown as their
messages; --raw prints the log as stored. A plan-… or apply-… id may be given instead: it
names its own phase.

  --phase <plan|apply>   Which log of a run (default plan). A run that never applied has no
                         apply log: that is an error (exit 3), not an empty output
  --follow               Keep printing until the phase ends
  --raw                  The log as stored, without rendering
  --poll-interval <d>    Wait between reads while following (default 500ms, growing to 2s)

${CONNECTION}
`,
  'run override': `Usage: tfe run override <run-id> [--comment <text>] [--json]

Overrides what a run waiting for a decision waits on, when the API allows it and the token has
the permission:
  - a task stage awaiting an override (run state pre_plan_awaiting_decision or
    post_plan_awaiting_decision): its failed mandatory run tasks and overridable (soft) policy
    failures. The comment goes with the override.
  - soft-failed Sentinel policy checks (run state policy_override), as tfe run override-policy
    does. The comment is added to the run.
It prints the failed tasks and policies first. The run then goes on (to confirmation, or applying).

  --comment <text>       Why the run is let through
  --json                 One JSON document on stdout: {"runId", "kind", "overridden": […], "commentId"}

${CONNECTION}

Exit codes: 0 overridden, 1 nothing to override (the run waits for no override), the token may
not override it, or the API call failed, 3 usage or configuration error.
`,
  'run override-policy': `Usage: tfe run override-policy <run-id> [--comment <text>] [--json]

Overrides every soft-failed policy check of a run that may be overridden (a soft-mandatory
Sentinel failure), so the run continues. The override action takes no comment: --comment adds
one to the run, saying why. Needs the permission to override policy checks.

  --comment <text>       Comment to add to the run after the override
  --json                 One JSON document on stdout: {"runId", "policyChecks": […], "commentId"}

${CONNECTION}

Exit codes: 0 overridden, 1 nothing to override (no soft-failed overridable check) or the API
call failed, 3 usage or configuration error.
`,
  'run comment': `Usage: tfe run comment <run-id> --body <text>
       tfe run comment <run-id> <text>

Adds a comment to a run's timeline and prints the comment's id on stdout.

  --body <text>          The comment (or give it as the second argument)
  --json                 One JSON document on stdout: {"runId", "commentId"}

${CONNECTION}

Exit codes: 0 added, 1 failed, 3 usage or configuration error.
`,
  variable: `Usage: tfe variable <list|set|delete> [flags]

  list                   Key, category, HCL, sensitive and value of each variable
                         (a sensitive value is never shown: "(sensitive)")
  set KEY=VALUE …        Create the missing variables, update those that differ
  delete KEY             Delete a variable
  --json                 One JSON document on stdout

See tfe variable set --help for how values are sent.

${WORKSPACE}

${CONNECTION}
`,
  'variable list': `Usage: tfe variable list [--category terraform|env] [--json]

Lists a workspace's variables: key, category, HCL, sensitive, value. Sensitive values are
write-only: shown as (sensitive), and null in --json.

  --category <c>         Only terraform or env variables
  --json                 One JSON document on stdout: {"workspace", "variables": […]}

${WORKSPACE}

${CONNECTION}
`,
  'variable set': `Usage: tfe variable set KEY=VALUE … [flags]
       tfe variable set --from-file vars.json [flags]

Makes the workspace hold these variables: creates the missing ones, updates those that differ
(matched by key and category), leaves the others alone, and prints what it did
(created / updated / unchanged). A sensitive variable already there is always updated: its value
cannot be read back to compare. Running it again converges.

  KEY=VALUE              A variable (repeatable). A bare KEY takes its value from the
                         environment variable KEY, keeping a secret off the command line.
  --from-file <file>     A JSON object of key → value, e.g. a .tfvars.json file (repeatable).
                         A string is sent as is; any other value (number, bool, list, object,
                         null) is sent as HCL (hcl: true) written as JSON, so Terraform reads the
                         same value. For --category env, a non-string is sent as its JSON text.
  --category <c>         terraform (default) or env, for every variable given
  --hcl                  String values are HCL expressions, e.g. 'ids=["a","b"]' (terraform only).
                         Without it a string is a plain string: hcl is set to false.
  --sensitive            Write-only: the value is never shown again, here or in TFE. A sensitive
                         variable cannot be made visible again (delete it first).
  --description <text>   Description of every variable given (left as it is when not given)
  --json                 One JSON document on stdout: {"workspace", "created", "updated",
                         "unchanged"}, each a list of {id, key, category}

Values are never printed; sensitive ones never appear in any message, even an error.

${WORKSPACE}

${CONNECTION}

Exit codes: 0 done, 1 the API refused or failed, 3 usage or configuration error.
`,
  'variable delete': `Usage: tfe variable delete KEY [--category terraform|env] [--json]

Deletes a workspace variable.

  --category <c>         terraform or env: needed only when both a terraform and an env variable
                         have that key
  --json                 One JSON document on stdout

${WORKSPACE}

${CONNECTION}

Exit codes: 0 deleted, 1 no such variable or the API call failed, 3 usage or configuration error.
`,
  outputs: `Usage: tfe outputs [flags]

Prints the outputs of the workspace's current state, one "name = value" per output (values as
JSON). Waits first until TFE has processed the state, since until then outputs may be missing.

  --show-sensitive       Print sensitive values too; otherwise they show as (sensitive), and
                         --json leaves out their "value"
  --wait-timeout <d>     How long to wait for the state to be processed (default 60s), then exit 1
  --poll-interval <d>    Wait between checks (default 1s)
  --json                 One JSON document on stdout: {"workspace", "outputs": {name: {"value",
                         "type", "sensitive"}}}

${WORKSPACE}

${CONNECTION}

Exit codes: 0 printed (also when the workspace has no state yet), 1 the state cannot be read or
was not processed in time, 3 usage or configuration error.
`,
  workspace: `Usage: tfe workspace <show|lock|unlock> [flags]

  show                   Id, lock, current run, Terraform version, settings, URL
  lock                   Lock the workspace (exit 1, naming the holder, if someone else holds it)
  unlock                 Unlock it
  --reason <text>        With lock: why, shown to whoever finds it locked
  --force                With unlock: release someone else's lock (needs admin rights)
  --json                 One JSON document on stdout

${WORKSPACE}

${CONNECTION}
`,
  'fake-server': `Usage: tfe fake-server [flags]

Starts an in-memory fake TFE on loopback and prints {url, apiUrl, uploadUrl, token, organization,
workspaces} as one JSON line; runs until SIGINT or SIGTERM. Point tfe at it with
TFE_ADDRESS=<url> TFE_TOKEN=<token> TFE_ORGANIZATION=<organization>, or let --env print those:

  eval "$(tfe fake-server --env)"     # starts it in the background, sets the variables
  tfe run --dir examples/configuration --apply auto

  --env                  Start in the background and print export lines for a shell to eval:
                         TFE_ADDRESS, TFE_TOKEN, TFE_ORGANIZATION, TFE_WORKSPACE, and
                         TFE_FAKE_SERVER_PID (stop it with: kill $TFE_FAKE_SERVER_PID)
  --port <n>             API port (default: any free port)
  --host <addr>          Interface (default 127.0.0.1)
  --token <token>        Token to accept (default: random; an empty one is refused)
  --organization <name>  Organization (default acme)
  --workspace <name>     Workspace to create (repeatable; default demo)
  --step-ms <ms>         Time in each run state (default 50)
  --rate-limit <n>       Requests per second per user (default 30; 0 disables)
  --run-list-rate-limit <n>
                         Run-list requests (GET /workspaces/:id/runs,
                         GET /organizations/:name/runs) per window, as the API
                         documents (default 30; 0 disables)
  --run-list-window-ms <ms>
                         The run-list window (default 60000: a minute)
  --archivist-re-put <accept-identical|conflict>
                         Answer to a second PUT of an upload URL: 200 for the same
                         bytes (default), or always 409
`,
};
COMMANDS['workspace show'] = COMMANDS.workspace!;
COMMANDS['workspace lock'] = COMMANDS.workspace!;
COMMANDS['workspace unlock'] = COMMANDS.workspace!;

/** The help of a command (`run create`), or the main help for an unknown one. */
export function helpFor(command: string): string {
  return COMMANDS[command] ?? MAIN_HELP;
}
