import { LooptapeError } from '@looptape/recording';

/** A looptape.config.json the analyser cannot use: the CLI shows it as one line and exits 2. */
export class ConfigError extends LooptapeError<'BAD_CONFIG'> {
  override name = 'ConfigError';
  constructor(readonly file: string, detail: string) {
    super('BAD_CONFIG', `${file}: ${detail}`);
  }
}
