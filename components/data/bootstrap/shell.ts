/**
 * Small helpers for emitting bash safely. Every value that reaches a script has already passed
 * `validateBootstrapContext`; quoting here is the second line of defence, not the only one.
 */

/** Quotes a value as one bash word with single quotes, so nothing inside is expanded. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The delimiter of every heredoc the generator emits; quoted, so bodies are never expanded. */
export const HEREDOC_DELIMITER = "TILA_EOF";

/**
 * Writes `content` verbatim to `path` through a quoted heredoc, then sets its mode (and owner).
 * Rewriting on every run is deliberate: configuration is a pure function of the context, so a
 * re-run converges on the same bytes instead of appending.
 */
export function writeFile(path: string, content: string, mode = "0644", owner?: string): string {
  if (content.split("\n").some((line) => line === HEREDOC_DELIMITER)) {
    throw new Error(`content for ${path} contains the heredoc delimiter ${HEREDOC_DELIMITER}`);
  }
  const body = content.endsWith("\n") ? content : `${content}\n`;
  const lines = [
    `mkdir -p ${shellQuote(dirnameOf(path))}`,
    `cat > ${shellQuote(path)} <<'${HEREDOC_DELIMITER}'`,
    `${body}${HEREDOC_DELIMITER}`,
    `chmod ${mode} ${shellQuote(path)}`,
  ];
  if (owner) lines.push(`chown ${owner} ${shellQuote(path)}`);
  return lines.join("\n");
}

function dirnameOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** A bash array literal of single-quoted words. */
export function bashArray(values: readonly string[]): string {
  return `(${values.map(shellQuote).join(" ")})`;
}

/** A systemd unit that runs `execStart` as `user` and restarts it when it dies. */
export function systemdUnit(opts: {
  description: string;
  user: string;
  execStart: string;
  environment?: Record<string, string>;
  /** A root-only file of KEY=value lines systemd reads (as root) before dropping to `user`; for credentials. */
  environmentFile?: string;
  limitNofile?: number;
  type?: string;
}): string {
  const env = Object.entries(opts.environment ?? {}).map(([k, v]) => `Environment="${k}=${v}"`);
  return [
    "[Unit]",
    `Description=${opts.description}`,
    "Wants=network-online.target",
    "After=network-online.target local-fs.target",
    "",
    "[Service]",
    `Type=${opts.type ?? "simple"}`,
    `User=${opts.user}`,
    `Group=${opts.user}`,
    ...env,
    ...(opts.environmentFile ? [`EnvironmentFile=${opts.environmentFile}`] : []),
    `ExecStart=${opts.execStart}`,
    "Restart=on-failure",
    "RestartSec=10",
    `LimitNOFILE=${opts.limitNofile ?? 100000}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/**
 * Tag for bash snippets: the text is taken raw (backslashes stay as written), and `\${` stands
 * for bash's `${`, which a template literal would otherwise treat as an interpolation.
 */
export function sh(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.raw.map((s, i) => s.replace(/\\\$\{/g, "${") + (i < values.length ? String(values[i]) : "")).join("");
}
