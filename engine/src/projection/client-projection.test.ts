import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import { expectCrmError, useTestEngine } from '../testing';
import type { ClientField, ClientMetadata, ClientObject } from './client-projection-types';

/**
 * The projection's edge cases in the engine: rollups over a child with hidden fields, related
 * lists through a hidden lookup, a hidden title field, scoped API tokens, inactive users and the
 * system actor. (tests/api/client-projection.test.ts covers the HTTP side on the sales template.)
 */

const harness = useTestEngine();

function objectOf(projection: ClientMetadata, name: string): ClientObject | undefined {
  return projection.objects.find((o) => o.name === name);
}
function fieldOf(object: ClientObject | undefined, name: string): ClientField | undefined {
  return object?.fields.find((f) => f.name === name);
}

let viewerId: string;

beforeAll(async () => {
  const { engine } = harness();
  await engine.objects.create(systemActor, { name: 'shop', label: { en: 'Shop', 'zh-CN': '门店' }, title_field: 'code', fields: [{ name: 'code', type: 'text', label: 'Code' }, { name: 'city', type: 'text', label: 'City' }] });
  await engine.objects.create(systemActor, {
    name: 'sale',
    label: 'Sale',
    fields: [
      { name: 'shop', type: 'master_detail', label: 'Shop', target: 'shop' },
      { name: 'stage', type: 'select', label: 'Stage', options: [{ value: 'open', label: 'Open' }, { value: 'won', label: 'Won' }] },
      { name: 'margin', type: 'integer', label: 'Margin' },
      { name: 'note', type: 'text', label: 'Note' },
    ],
  });
  for (const field of [
    { name: 'won_sales', type: 'rollup', label: 'Won sales', child_object: 'sale', relationship_field: 'shop', aggregate: 'count', filter: { '==': [{ var: 'stage' }, 'won'] } },
    { name: 'margin_total', type: 'rollup', label: 'Margin total', child_object: 'sale', relationship_field: 'shop', aggregate: 'sum', aggregate_field: 'margin' },
  ]) {
    await engine.fields.create(systemActor, 'shop', field);
  }
  await engine.layouts.create(systemActor, 'shop', {
    name: 'shop_detail',
    type: 'detail',
    sections: [{ columns: 2, fields: [{ field: 'code' }, { field: 'city' }, { field: 'won_sales' }] }],
    related_lists: [{ object: 'sale', field: 'shop', columns: ['note', 'margin'] }],
  });
  await engine.roles.create(systemActor, {
    name: 'shop_viewer',
    label: 'Shop viewer',
    objects: {
      shop: { read: true, fields: { code: 'hidden' } },
      sale: { read: true, edit: true, fields: { stage: 'hidden', shop: 'hidden', margin: 'hidden' } },
    },
  });
  viewerId = (await engine.users.create(systemActor, { name: 'Vic Viewer', email: 'vic@example.com', roles: ['shop_viewer'] })).id;
});

describe('the client projection', () => {
  it('withholds what a rollup reads on a child and drops related lists through a hidden lookup', async () => {
    const { engine } = harness();
    const projection = (await engine.clientMetadata(userActor(viewerId))).body();
    const text = JSON.stringify(projection);
    for (const hidden of ['code', 'stage', 'margin', 'margin_total']) expect(text).not.toMatch(new RegExp(`"${hidden}"|\\b${hidden}\\b`));
    const shop = objectOf(projection, 'shop');
    expect(shop).not.toHaveProperty('title_field');
    // Counting children by a hidden field, through a hidden lookup: the count stays (the API returns it), its rule does not.
    const wonSales = fieldOf(shop, 'won_sales');
    expect(wonSales).toMatchObject({ type: 'rollup', child_object: 'sale', aggregate: 'count', mode: 'read_only', withheld: ['relationship_field', 'filter'] });
    expect(wonSales).not.toHaveProperty('filter');
    expect(wonSales).not.toHaveProperty('relationship_field');
    const detail = shop?.layouts.find((l) => l.name === 'shop_detail');
    expect(detail).toEqual({ name: 'shop_detail', type: 'detail', sections: [{ columns: 2, fields: [{ field: 'city' }, { field: 'won_sales' }] }], related_lists: [] });
    expect(objectOf(projection, 'sale')?.fields.map((f) => f.name).filter((n) => !fieldOf(objectOf(projection, 'sale'), n)?.system)).toEqual(['note']);
  });

  it('gives an administrator everything, and the same objects to everyone with the same grants', async () => {
    const { engine } = harness();
    const admin = await engine.users.create(systemActor, { name: 'Ada', email: 'ada@example.com', roles: ['administrator'] });
    const full = (await engine.clientMetadata(userActor(admin.id))).body();
    expect(fieldOf(objectOf(full, 'shop'), 'won_sales')).toMatchObject({ relationship_field: 'shop', filter: { '==': [{ var: 'stage' }, 'won'] } });
    expect(objectOf(full, 'shop')?.title_field).toBe('code');
    const system = (await engine.clientMetadata(systemActor)).body();
    expect(system.user).toMatchObject({ name: 'System', email: null, admin: true, roles: [] });
    expect(system.objects).toEqual(full.objects);
  });

  it('cuts a scoped API token to its scopes: no administration, only the objects and operations it names', async () => {
    const { engine } = harness();
    const admin = await engine.users.create(systemActor, { name: 'Scoped', email: 'scoped@example.com', roles: ['administrator'] });
    const scoped = (await engine.clientMetadata(userActor(admin.id, { scopes: { sale: ['read'] } }))).body();
    expect(scoped.user.admin).toBe(false);
    expect(scoped.objects.map((o) => o.name)).toEqual(['sale']);
    expect(objectOf(scoped, 'sale')?.permissions).toMatchObject({ read: true, edit: false, create: false, transfer: false });
    // The master-detail points at an object the token may not read: read-only, no picker.
    expect(fieldOf(objectOf(scoped, 'sale'), 'shop')).toMatchObject({ target: 'shop', target_readable: false, mode: 'read_only' });
    const unscoped = await engine.clientMetadata(userActor(admin.id));
    expect((await engine.clientMetadata(userActor(admin.id, { scopes: { sale: ['read'] } }))).etag).not.toBe(unscoped.etag);
  });

  it('refuses an inactive user', async () => {
    const { engine } = harness();
    const gone = await engine.users.create(systemActor, { name: 'Gone', email: 'gone@example.com', roles: ['shop_viewer'] });
    await engine.users.update(systemActor, gone.id, { active: false });
    await expectCrmError(engine.clientMetadata(userActor(gone.id)), 'actor_invalid');
  });
});
