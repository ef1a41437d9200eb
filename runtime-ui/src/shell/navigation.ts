import type { ClientObject, ClientView } from '@crm/engine/core';

/** Routes of the app, in one place so features link to each other without knowing their files. */
export const paths = {
  home: () => '/',
  list: (object: string, view?: string) => `/o/${encodeURIComponent(object)}${view ? `?view=${encodeURIComponent(view)}` : ''}`,
  board: (object: string, view: string) => `/o/${encodeURIComponent(object)}/board/${encodeURIComponent(view)}`,
  create: (object: string) => `/o/${encodeURIComponent(object)}/new`,
  record: (object: string, id: string) => `/o/${encodeURIComponent(object)}/${encodeURIComponent(id)}`,
  edit: (object: string, id: string) => `/o/${encodeURIComponent(object)}/${encodeURIComponent(id)}/edit`,
  recycleBin: (object: string) => `/o/${encodeURIComponent(object)}/recycle-bin`,
  approvals: () => '/approvals',
  notifications: () => '/notifications',
  account: () => '/account',
};

/** The objects a user may open (read permission), for the navigation. */
export function navigableObjects(objects: readonly ClientObject[]): readonly ClientObject[] {
  return objects.filter((object) => object.permissions.read);
}

export function isKanban(view: ClientView): boolean {
  return view.type === 'kanban';
}
