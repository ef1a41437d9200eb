import { describe, expect, it } from 'vitest';
import { compileSchema } from '../../metadata/ajv';
import { actionSchema, findActionType } from './registry';

const TYPES = ['update_record', 'create_record', 'assign_owner', 'add_share', 'notify', 'send_email', 'webhook', 'submit_for_approval'];

describe('the workflow action registry', () => {
  it('has one module per action type, its schema branch keyed by that type', () => {
    for (const type of TYPES) {
      const module = findActionType(type)!;
      expect(module.type).toBe(type);
      expect((module.schema.properties as { type: { const: string } }).type.const).toBe(type);
    }
    expect((actionSchema.oneOf as unknown[]).length).toBe(TYPES.length);
  });

  it('knows no other type, whatever the string', () => {
    for (const type of ['nope', 'toString', '__proto__', 42, undefined]) expect(findActionType(type)).toBeUndefined();
  });

  it('validates each action against its own branch only', () => {
    const validate = compileSchema(actionSchema);
    expect(validate({ type: 'webhook', url: 'https://example.com/hook' })).toBe(true);
    expect(validate({ type: 'webhook', url: 'https://example.com/hook', values: { a: 1 } })).toBe(false);
    expect(validate({ type: 'update_record', values: { stage: 'won' } })).toBe(true);
    expect(validate({ type: 'erase_everything' })).toBe(false);
  });

  it('keeps the delivery settings of the actions that deliver: webhooks need a signing secret, email an SMTP server', () => {
    const needs = Object.fromEntries(TYPES.map((type) => [type, findActionType(type)!.needs?.setting]).filter(([, setting]) => setting));
    expect(needs).toEqual({ webhook: 'webhook', send_email: 'email' });
  });
});
