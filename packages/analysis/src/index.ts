export * from './findings.js';
export { analyze } from './analyze.js';
export type { AnalyzeOptions } from './detect/context.js';
export { formatReport, type FormatOptions } from './format.js';
export { explainFinding, findingAt } from './explain.js';
