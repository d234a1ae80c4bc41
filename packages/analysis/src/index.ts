export * from './findings.js';
export { analyze } from './analyze.js';
export type { AnalyzeOptions } from './detect/context.js';
export { formatReport, type FormatOptions } from './format.js';
export { explainFinding, findingAt } from './explain.js';
export { ConfigError } from './errors.js';
export { CONFIG_FILE, loadConfig, type SuppressionConfig } from './suppress/config.js';
export { applySuppressions, type SuppressOptions } from './suppress/apply.js';
