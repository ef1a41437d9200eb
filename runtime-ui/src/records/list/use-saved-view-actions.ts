import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { KindOf } from '../../filters/filter-logic';
import { useMetadata } from '../../metadata/client-metadata';
import type { ListState } from './list-state';
import { createSavedView, definitionOf, deleteSavedView, filterTreeOf, savedViewKeys, updateSavedView, useSavedViews, type SavedView } from './saved-views';

type Change = (changes: Readonly<Record<string, string | undefined>>) => void;

/** The list's personal views: the user's saved views of the object, and showing, saving and deleting one. */
export function useSavedViewActions(object: string, state: ListState, kindOf: KindOf, change: Change) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const userId = useMetadata().user.id;
  const client = useQueryClient();
  const views = useSavedViews(userId, object, kindOf).data ?? [];
  const refresh = () => client.invalidateQueries({ queryKey: savedViewKeys.object(userId, object) });
  const fail = (error: unknown) => void message.error(error instanceof ApiError ? (error.fields[0]?.message ?? error.message) : String(error));

  const apply = (view: SavedView) => {
    const { definition } = view;
    change({ view: definition.view, sort: definition.sort, filter: JSON.stringify(filterTreeOf(definition, kindOf)), cols: definition.columns.join(','), q: definition.q, saved: view.id });
    // Fields deleted or no longer visible to the user were left out by the server.
    if (view.dropped.length > 0) void message.warning(t('list.viewDropped'));
  };

  /**
   * Saves what the list shows: into the saved view shown (renaming it to `name`) unless `asNew`;
   * otherwise under `name`, where a view the user already has of that name is updated.
   */
  const save = async (name: string, asNew: boolean) => {
    const definition = definitionOf({ view: state.view?.name, columns: state.columns, sort: state.sort, filter: state.filter, q: state.q }, kindOf);
    const shown = asNew ? undefined : views.find((view) => view.id === state.saved);
    const existing = shown ?? views.find((view) => view.name === name);
    try {
      const saved = existing ? await updateSavedView(existing.id, { ...(existing.name !== name ? { name } : {}), definition }) : await createSavedView(object, name, definition);
      await refresh();
      change({ saved: saved.id });
      void message.success(t('list.viewSaved', { name }));
    } catch (error) {
      fail(error);
    }
  };

  const remove = async (id: string) => {
    try {
      await deleteSavedView(id);
      await refresh();
      change({ saved: undefined });
    } catch (error) {
      fail(error);
    }
  };

  return { views, apply, save: (name: string, asNew: boolean) => void save(name, asNew), remove: (id: string) => void remove(id) };
}
