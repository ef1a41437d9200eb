import { userActor, type Actor } from '../actors';
import type { Engine } from '../engine';
import { CrmError, reason } from '../errors';
import { compileSchema, schemaIssues } from '../metadata/ajv';
import { checkDocumentLimits } from '../metadata/documents';
import type { FieldDefinition, ObjectDefinition } from '../metadata/types';
import { computationOf, isFieldType, recordReferenceOf } from '../field-types';
import { templateSchema } from './template-schema';

export interface TemplatePackage {
  readonly name: string;
  readonly version: string;
  readonly label: unknown;
  readonly description?: string;
  readonly objects: readonly (ObjectDefinition & { fields?: FieldDefinition[] })[];
  readonly fields?: readonly (FieldDefinition & { object: string })[];
  readonly layouts?: readonly ({ object: string } & Record<string, unknown>)[];
  readonly views?: readonly ({ object: string } & Record<string, unknown>)[];
  /** Validation rules per object, as the validation rule API takes them (plus `object`). */
  readonly validation_rules?: readonly ({ object: string } & Record<string, unknown>)[];
  /** Roles the module suggests (e.g. sales rep, manager, finance), as the role API takes them. */
  readonly roles?: readonly Record<string, unknown>[];
  /** Approval processes per object, as the approval process API takes them (plus `object`); after roles, which they may name. */
  readonly approval_processes?: readonly ({ object: string } & Record<string, unknown>)[];
  /** Workflows per object, as the workflow API takes them (plus `object`); after roles and processes, which they may name. */
  readonly workflows?: readonly ({ object: string } & Record<string, unknown>)[];
  /** Records per object. `$key` names a record; `{"$ref": key}` stands for its id in a later record. */
  readonly sample_data?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  /**
   * Users the sample records may belong to (`{"$ref": key}` in a record's user field), created
   * before the records, without e-mail or password. `manager: "$installer"` reports to whoever
   * installs the template.
   */
  readonly sample_users?: readonly SampleUser[];
  /** Sample records submitted for approval by a sample user, after every record is in. */
  readonly sample_approvals?: readonly SampleApproval[];
}

interface SampleRef {
  readonly $ref: string;
}

interface SampleUser {
  readonly $key: string;
  readonly name: string;
  readonly roles?: readonly string[];
  readonly manager?: '$installer' | SampleRef;
}

interface SampleApproval {
  readonly object: string;
  readonly record: SampleRef;
  readonly submitted_by: SampleRef;
  readonly comment?: string;
}

export interface InstallOptions {
  /** Also create the sample records. */
  readonly sampleData?: boolean;
}

export interface InstallReport {
  readonly objects: number;
  readonly fields: number;
  readonly layouts: number;
  readonly views: number;
  readonly validation_rules: number;
  readonly roles: number;
  readonly approval_processes: number;
  readonly workflows: number;
  readonly records: number;
  readonly users: number;
  readonly approvals: number;
}

const validateFrame = compileSchema(templateSchema);

/** When a template's field can be created: with its object, after every object (a reference), or after every plain field (computed from others). */
function stageOf(def: FieldDefinition): 'plain' | 'reference' | 'computed' {
  // An unknown type is created with its object, whose service reports it.
  if (!isFieldType(def.type)) return 'plain';
  if (recordReferenceOf(def)) return 'reference';
  const kind = computationOf(def)?.kind;
  return kind === 'expression' || kind === 'aggregate' ? 'computed' : 'plain';
}

/**
 * Refuses anyone but administrators (and the system): a template changes the metadata, roles and
 * users. Each step of an install checks its own right too; this refuses before a step is taken,
 * naming what was refused.
 */
export async function mayInstallTemplates(engine: Engine, actor: Actor): Promise<void> {
  const { subject } = await engine.access(actor);
  // A scoped API token is for records; it never administers, whoever owns it.
  if (!subject.admin || subject.tokenScopes) throw new CrmError('forbidden', { action: 'administer', subject: reason('subject_templates') });
}

/**
 * Installs a template through the public metadata and record services, so a template can do
 * nothing an analyst could not (templates are data, never code). Objects are created first with
 * their plain fields, then references (which may point at any object of the package), then
 * computed fields, layouts, views, validation rules, roles, approval processes and sample records (which the rules
 * check like any other write).
 *
 * All of it is one transaction (an atomic unit, db/atomic-unit.ts): a template refused anywhere,
 * down to its last sample record, leaves nothing behind, and can be installed again once fixed.
 */
export async function installTemplate(engine: Engine, actor: Actor, template: unknown, options: InstallOptions = {}): Promise<InstallReport> {
  await mayInstallTemplates(engine, actor);
  checkDocumentLimits(template, 'template');
  if (!validateFrame(template)) throw new CrmError('metadata_invalid', { kind: 'template' }, schemaIssues(validateFrame.errors));
  const pkg = template as TemplatePackage;
  return engine.database.atomically(() => install(engine, actor, pkg, options));
}

async function install(engine: Engine, actor: Actor, pkg: TemplatePackage, options: InstallOptions): Promise<InstallReport> {
  // Workflows this server could not deliver are refused before anything of the template is installed.
  const undeliverable = pkg.workflows?.length ? (await Promise.all(pkg.workflows.map((workflow, i) => engine.workflows.deliveryIssues(actor, workflow, `workflows/${i}/`)))).flat() : [];
  if (undeliverable.length) throw new CrmError('metadata_invalid', { kind: 'template' }, undeliverable);
  let fields = 0;
  const deferredTitles: [string, string][] = [];
  const later: (FieldDefinition & { object: string })[] = [];
  const last: (FieldDefinition & { object: string })[] = [];

  for (const { fields: objectFields = [], ...object } of pkg.objects) {
    const plain = objectFields.filter((f) => stageOf(f) === 'plain');
    const titleReady = object.title_field === undefined || plain.some((f) => f.name === object.title_field);
    if (!titleReady) deferredTitles.push([object.name, object.title_field!]);
    const { title_field: title, ...rest } = object;
    await engine.objects.create(actor, { ...(titleReady && title ? { ...rest, title_field: title } : rest), fields: plain });
    fields += plain.length;
    for (const f of objectFields) {
      const stage = stageOf(f);
      if (stage === 'reference') later.push({ ...f, object: object.name });
      else if (stage === 'computed') last.push({ ...f, object: object.name });
    }
  }
  for (const f of pkg.fields ?? []) (stageOf(f) === 'reference' ? later : last).push(f);
  for (const { object, ...definition } of [...later, ...last]) {
    await engine.fields.create(actor, object, definition);
    fields += 1;
  }
  for (const [object, title] of deferredTitles) await engine.objects.update(actor, object, { title_field: title });
  for (const { object, ...layout } of pkg.layouts ?? []) await engine.layouts.create(actor, object, layout);
  for (const { object, ...view } of pkg.views ?? []) await engine.views.create(actor, object, view);
  for (const { object, ...rule } of pkg.validation_rules ?? []) await engine.validationRules.create(actor, object, rule);
  for (const role of pkg.roles ?? []) await engine.roles.create(actor, role);
  for (const { object, ...process } of pkg.approval_processes ?? []) await engine.approvalProcesses.create(actor, object, process);
  // Before the sample records, which then run them like any write.
  for (const { object, ...workflow } of pkg.workflows ?? []) await engine.workflows.create(actor, object, workflow);

  let records = 0;
  let users = 0;
  let approvals = 0;
  if (options.sampleData) {
    // Sample users and records share one key space: a record names its owner as it names its account.
    const ids = new Map<string, string>();
    const idOf = (key: string): string => {
      const id = ids.get(key);
      if (!id) throw new CrmError('metadata_invalid', { kind: 'template', summary: reason('sample_data_order', { key }) });
      return id;
    };
    const name = (key: string, id: string) => {
      if (ids.has(key)) throw new CrmError('metadata_invalid', { kind: 'template', summary: reason('sample_key_twice', { key }) });
      ids.set(key, id);
    };
    const resolve = (value: unknown): unknown => {
      if (value && typeof value === 'object' && !Array.isArray(value) && '$ref' in value) return idOf(String((value as { $ref: unknown }).$ref));
      return value;
    };
    for (const { $key, name: userName, roles, manager } of pkg.sample_users ?? []) {
      // A template's people are for show: none of them administers (an administrator could later give them a password).
      for (const role of roles ?? []) {
        if ((await engine.roles.get(actor, role)).admin) throw new CrmError('metadata_invalid', { kind: 'template', summary: reason('sample_user_admin', { key: $key, name: role }) });
      }
      const managerId = manager === '$installer' ? (actor.kind === 'user' ? actor.userId : null) : manager ? idOf(manager.$ref) : null;
      const created = await engine.users.create(actor, { name: userName, ...(roles ? { roles } : {}), manager_id: managerId });
      name($key, created.id);
      users += 1;
    }
    for (const [object, rows] of Object.entries(pkg.sample_data ?? {})) {
      for (const { $key, ...values } of rows) {
        const created = await engine.records.create(actor, object, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, resolve(v)])));
        if (typeof $key === 'string') name($key, created.id as string);
        records += 1;
      }
    }
    // Installed by the system (no one signed in), a "$installer" manager is nobody: the requests
    // would wait on no one, so they are left out, and the report says how many went in.
    const installedByUser = actor.kind === 'user';
    const needsInstaller = (submitter: string) => pkg.sample_users?.some((u) => u.$key === submitter && u.manager === '$installer') ?? false;
    for (const { object, record, submitted_by: submitter, comment } of pkg.sample_approvals ?? []) {
      if (!installedByUser && needsInstaller(submitter.$ref)) continue;
      await engine.approvals.submit(userActor(idOf(submitter.$ref)), object, idOf(record.$ref), comment ? { comment } : {});
      approvals += 1;
    }
  }
  return { objects: pkg.objects.length, fields, layouts: pkg.layouts?.length ?? 0, views: pkg.views?.length ?? 0, validation_rules: pkg.validation_rules?.length ?? 0, roles: pkg.roles?.length ?? 0, approval_processes: pkg.approval_processes?.length ?? 0, workflows: pkg.workflows?.length ?? 0, records, users, approvals };
}
