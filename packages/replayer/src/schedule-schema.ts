import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** The published schema (docs/schedule.schema.json): the one definition of a valid schedule file. */
const SCHEMA_FILE = new URL('../../../docs/schedule.schema.json', import.meta.url);
// ajv is CommonJS; its draft 2020-12 class is a subpath export.
const Ajv2020 = createRequire(import.meta.url)('ajv/dist/2020') as new (options: object) => { compile(schema: object): ValidateFunction };

let validate: ValidateFunction | undefined;

/** The first way `data` breaks the schedule schema, as one line ("delivery 3: kind must be one of …"), or undefined. */
export function scheduleSchemaError(data: unknown): string | undefined {
  validate ??= new Ajv2020({ allErrors: false, strict: true }).compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
  if (validate(data)) return undefined;
  return describe(validate.errors![0], data);
}

function describe(error: ErrorObject, data: unknown): string {
  const parts = error.instancePath.split('/').filter(Boolean);
  const where = parts[0] === 'deliveries' && parts[1] !== undefined
    ? `delivery ${Number(parts[1]) + 1}${parts[2] ? `: ${parts[2]}` : ''}`
    : parts.join('.') || 'the schedule';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'const' && parts[0] === 'version') return `version ${JSON.stringify((data as { version?: unknown }).version)} is not one this looptape reads (it reads version ${params.allowedValue})`;
  if (error.keyword === 'enum') return `${where} must be one of ${(params.allowedValues as string[]).join(', ')}`;
  if (error.keyword === 'additionalProperties') return `${where} has a field the schema does not know: ${params.additionalProperty}`;
  if (error.keyword === 'required') return `${where} needs ${params.missingProperty}`;
  return `${where} ${error.message}`;
}
