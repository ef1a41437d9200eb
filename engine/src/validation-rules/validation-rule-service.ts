import type { Actor } from '../actors';
import { CrmError } from '../errors';
import type { MetadataCache } from '../metadata/cache';
import type { MetadataChangeRunner, Revisioned } from '../metadata/change-runner';
import { checkValidationRuleDocument, mergePatch } from '../metadata/documents';
import { newId } from '../metadata/ids';
import { storedObject } from '../metadata/object-elements';
import type { ValidationRuleDefinition } from '../metadata/types';
import { usable } from '../security/usable';
import type { Administration } from '../security/administration';
import { seesAllMetadata, visibleValidationRule } from '../security/visible-metadata';

/**
 * Validation rules of an object, as metadata: listed by anyone who may use the object, changed
 * by administrators only, each change one metadata transaction (validated against the whole
 * metadata: the fields a rule points at and the variables its condition reads must exist).
 * Layouts and views have the same shape (ElementService); rules differ in having no `type` and
 * their own table, so they get this small service rather than a flag on that one.
 */
export class ValidationRuleService {
  constructor(
    private readonly runner: MetadataChangeRunner,
    private readonly cache: MetadataCache,
    private readonly administration: Administration,
  ) {}

  /**
   * The object's rules in name order, active or not, as the actor may see them: without the
   * hidden fields they point at, and without the rules whose condition reads one at all.
   */
  async list(actor: Actor, objectName: string): Promise<ValidationRuleDefinition[]> {
    const { rules, visible } = await this.#readable(actor, objectName);
    return [...rules.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).flatMap((rule) => visible(rule) ?? []);
  }

  async get(actor: Actor, objectName: string, name: string): Promise<ValidationRuleDefinition> {
    const { rules, visible } = await this.#readable(actor, objectName);
    const found = rules.get(name);
    const shown = found && visible(found);
    if (!shown) throw new CrmError('validation_rule_not_found', { object: objectName, name });
    return shown;
  }

  async create(actor: Actor, objectName: string, document: unknown): Promise<Revisioned<ValidationRuleDefinition>> {
    await this.administration.requireAdmin(actor, 'validation rules');
    const definition = checkRule(document);
    return this.runner.run(actor, { object: objectName, kind: 'validation_rule', name: definition.name, action: 'create' }, async ({ trx, before }) => {
      const object = storedObject(before.objects, objectName);
      if (object.validationRules.some((r) => r.definition.name === definition.name)) {
        throw new CrmError('name_taken', { kind: 'Validation rule', name: definition.name });
      }
      const id = newId();
      await trx
        .insertInto('crm_meta.validation_rules')
        .values({ id, object_id: object.id, name: definition.name, definition: JSON.stringify(definition) })
        .execute();
      return { result: definition, audited: { id } };
    });
  }

  /** A JSON merge patch of the rule (`null` removes a property: `active: null` makes it active again). */
  async update(actor: Actor, objectName: string, name: string, patch: unknown): Promise<Revisioned<ValidationRuleDefinition>> {
    await this.administration.requireAdmin(actor, 'validation rules');
    const draft = patch !== null && typeof patch === 'object' && 'name' in patch ? String((patch as { name: unknown }).name) : name;
    return this.runner.run(actor, { object: objectName, kind: 'validation_rule', name: draft, action: 'change' }, async ({ trx, before }) => {
      const object = storedObject(before.objects, objectName);
      const current = object.validationRules.find((r) => r.definition.name === name);
      if (!current) throw new CrmError('validation_rule_not_found', { object: objectName, name });
      const definition = checkRule(mergePatch(current.definition, patch));
      if (definition.name !== name && object.validationRules.some((r) => r.definition.name === definition.name)) {
        throw new CrmError('name_taken', { kind: 'Validation rule', name: definition.name });
      }
      await trx
        .updateTable('crm_meta.validation_rules')
        .set({ name: definition.name, definition: JSON.stringify(definition), updated_at: new Date().toISOString() })
        .where('id', '=', current.id)
        .execute();
      return { result: definition, audited: { id: current.id } };
    });
  }

  async delete(actor: Actor, objectName: string, name: string): Promise<Revisioned<{ name: string }>> {
    await this.administration.requireAdmin(actor, 'validation rules');
    return this.runner.run(actor, { object: objectName, kind: 'validation_rule', name, action: 'delete' }, async ({ trx, before }) => {
      const current = storedObject(before.objects, objectName).validationRules.find((r) => r.definition.name === name);
      if (!current) throw new CrmError('validation_rule_not_found', { object: objectName, name });
      await trx.deleteFrom('crm_meta.validation_rules').where('id', '=', current.id).execute();
      return { result: { name }, audited: { id: current.id } };
    });
  }

  async #readable(actor: Actor, objectName: string) {
    const object = (await this.cache.withObject(objectName)).object(objectName);
    const access = await this.administration.access(actor);
    if (!usable(access, objectName)) throw new CrmError('object_not_found', { object: objectName });
    const hidden = seesAllMetadata(access) ? undefined : access.object(objectName).hidden;
    const visible = (rule: ValidationRuleDefinition): ValidationRuleDefinition | undefined => (hidden ? visibleValidationRule(rule, hidden) : rule);
    return { rules: object.validationRules, visible };
  }
}

/** Shape and name checked; `fields` defaults to none (the rule is about the record as a whole). */
function checkRule(document: unknown): ValidationRuleDefinition {
  const checked = checkValidationRuleDocument(document);
  return checked.fields === undefined ? { ...checked, fields: [] } : checked;
}

