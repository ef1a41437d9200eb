import { BOUND_OWNERS, systemActor, userActor } from '@crm/engine';
import { uniqueName, useTestEngine } from '@crm/engine/testing';
import { describe, expect, it } from 'vitest';

const harness = useTestEngine();

/**
 * "Own department and below" over a department with more users than the record predicate binds
 * (BOUND_OWNERS; more owners are read from the department's subtree by a subquery): both forms,
 * and the per-owner merge of newest-first lists, must select exactly the records of the scope's
 * owners plus the records shared with the reader, and follow the organisation as it changes.
 */
describe('record scopes over many owners', () => {
  it('select exactly the owners of the subtree plus shares, with short and long owner lists', async () => {
    const { engine } = harness();
    const object = uniqueName('deal');
    await engine.objects.create(systemActor, { name: object, label: 'Deal', title_field: 'title', fields: [{ name: 'title', type: 'text', label: 'Title' }] });
    const permission = { read: true, create: true, edit: true, read_scope: 'department_and_below' as const };
    const role = uniqueName('below');
    await engine.roles.create(systemActor, { name: role, label: 'Below', objects: { [object]: permission } });

    const root = await engine.departments.create(systemActor, { name: uniqueName('root') });
    const wide = await engine.departments.create(systemActor, { name: uniqueName('wide'), parent_id: root.id });
    const narrow = await engine.departments.create(systemActor, { name: uniqueName('narrow'), parent_id: wide.id });
    const other = await engine.departments.create(systemActor, { name: uniqueName('other'), parent_id: root.id });
    const member = async (department: string) => (await engine.users.create(systemActor, { name: uniqueName('u'), department_id: department, roles: [role] })).id;

    const wideHead = await member(wide.id);
    const narrowHead = await member(narrow.id);
    // 130 more users under `wide`: its head's owners (132) are past the bound list, the narrow head's (11) are not.
    const wideUsers: string[] = [];
    for (let i = 0; i < 120; i++) wideUsers.push(await member(wide.id));
    const narrowUsers: string[] = [];
    for (let i = 0; i < 10; i++) narrowUsers.push(await member(narrow.id));
    expect(11).toBeLessThanOrEqual(BOUND_OWNERS);
    expect(132).toBeGreaterThan(BOUND_OWNERS);
    const outsider = await member(other.id);

    const owners = [wideHead, narrowHead, ...wideUsers.slice(0, 5), ...narrowUsers.slice(0, 5), outsider];
    const records = new Map<string, string>();
    for (const owner of owners) {
      for (let i = 0; i < 2; i++) {
        const record = await engine.records.create(systemActor, object, { title: `by ${owner} ${i}`, owner_id: owner });
        records.set(record.id as string, owner);
      }
    }
    const outsiderRecords = [...records].filter(([, owner]) => owner === outsider).map(([id]) => id);
    await engine.shares.grant(systemActor, object, outsiderRecords[0]!, { user_id: narrowHead, access: 'read' });
    await engine.shares.grant(systemActor, object, outsiderRecords[1]!, { department_id: root.id, access: 'read' });
    // Shared with someone who sees it anyway: listed once.
    const narrowUserRecord = [...records].find(([, owner]) => owner === narrowUsers[1])![0];
    await engine.shares.grant(systemActor, object, narrowUserRecord, { user_id: narrowHead, access: 'read' });

    const expectVisible = async (reader: string, scopeOwners: readonly string[], shared: readonly string[]) => {
      const expected = [...[...records].filter(([, owner]) => scopeOwners.includes(owner)).map(([id]) => id), ...shared].sort();
      const page = await engine.records.list(userActor(reader), object, { limit: 500, count: true });
      expect(page.data.map((r) => r.id).sort()).toEqual(expected);
      expect(page.total).toBe(expected.length);
      // Page by page (owned and shared rows come from separate branches), in two sort orders.
      for (const sort of [undefined, '-title', 'owner_id,title']) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const next = await engine.records.list(userActor(reader), object, { limit: 7, ...(sort ? { sort } : {}), ...(cursor ? { cursor } : {}) });
          seen.push(...next.data.map((r) => r.id as string));
          cursor = next.next_cursor ?? undefined;
        } while (cursor);
        expect(seen.sort()).toEqual(expected);
      }
      for (const [id] of records) {
        const visible = expected.includes(id);
        const read = engine.records.get(userActor(reader), object, id);
        if (visible) await expect(read).resolves.toMatchObject({ id });
        else await expect(read).rejects.toMatchObject({ code: 'record_not_found' });
      }
    };
    // The wide head: every owner under `wide` (long list), plus the department share from above.
    await expectVisible(wideHead, [wideHead, narrowHead, ...wideUsers, ...narrowUsers], [outsiderRecords[1]!]);
    // The narrow head: its own subtree (short list), plus both shares.
    await expectVisible(narrowHead, [narrowHead, ...narrowUsers], outsiderRecords);
    // Another member of the same team runs the same cached statements with their own values: the
    // same owners, their own shares (only the one with the whole company).
    await expectVisible(narrowUsers[4]!, [narrowHead, ...narrowUsers], [outsiderRecords[1]!]);
    // Editing follows the same scope: the wide head edits a narrow user's record, not the outsider's.
    const narrowRecord = [...records].find(([, owner]) => owner === narrowUsers[0])![0];
    await expect(engine.records.update(userActor(wideHead), object, narrowRecord, { title: 'edited' })).resolves.toMatchObject({ title: 'edited' });
    await expect(engine.records.update(userActor(wideHead), object, outsiderRecords[0]!, { title: 'no' })).rejects.toMatchObject({ code: 'record_not_found' });

    // A rep reading only their own records: owned rows (an index range) and shared ones (by id) merge into one order.
    const ownRole = uniqueName('own');
    await engine.roles.create(systemActor, { name: ownRole, label: 'Own', objects: { [object]: { ...permission, read_scope: 'own' } } });
    const rep = (await engine.users.create(systemActor, { name: uniqueName('rep'), department_id: narrow.id, roles: [ownRole] })).id;
    for (let i = 0; i < 9; i++) records.set((await engine.records.create(systemActor, object, { title: `rep ${i}`, owner_id: rep })).id as string, rep);
    const sharedWithRep = [...records].filter(([, owner]) => owner === wideUsers[0]).map(([id]) => id);
    for (const id of sharedWithRep) await engine.shares.grant(systemActor, object, id, { user_id: rep, access: 'read' });
    // The department share with `root` reaches the rep too; the share with narrowHead does not.
    await expectVisible(rep, [rep], [...sharedWithRep, outsiderRecords[1]!]);

    // Moving `narrow` under `other` moves its people out of the wide head's reach and into the outsider's.
    await engine.departments.update(systemActor, narrow.id, { parent_id: other.id });
    const narrowOwners = [narrowHead, ...narrowUsers, rep];
    await expectVisible(wideHead, [wideHead, ...wideUsers], [outsiderRecords[1]!]);
    await expectVisible(outsider, [outsider, ...narrowOwners], [outsiderRecords[1]!].filter((id) => records.get(id) !== outsider));

    // A user changing department takes their records along: out of the wide head's reach (a long
    // owner list, kept by the database) and into the outsider's (a short one, bound per revision).
    await engine.users.update(systemActor, wideUsers[0]!, { department_id: other.id });
    await expectVisible(wideHead, [wideHead, ...wideUsers.slice(1)], [outsiderRecords[1]!]);
    await expectVisible(outsider, [outsider, ...narrowOwners, wideUsers[0]!], [outsiderRecords[1]!, ...sharedWithRep].filter((id) => records.get(id) !== outsider && records.get(id) !== wideUsers[0]));

    // "Own department" reaches the department's own users only, not those below it: in both forms.
    const department = uniqueName('dept');
    await engine.roles.create(systemActor, { name: department, label: 'Department', objects: { [object]: { ...permission, read_scope: 'department' } } });
    await engine.users.update(systemActor, wideHead, { roles: [department] });
    await engine.users.update(systemActor, outsider, { roles: [department] });
    await expectVisible(wideHead, [wideHead, ...wideUsers.slice(1)], [outsiderRecords[1]!]);
    await expectVisible(outsider, [outsider, wideUsers[0]!], [outsiderRecords[1]!].filter((id) => records.get(id) !== outsider));
  }, 120_000);
});
