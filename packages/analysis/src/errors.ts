/** A looptape.config.json the analyser cannot use: the CLI shows it as one line and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly code = 'BAD_CONFIG';
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
  }
}
