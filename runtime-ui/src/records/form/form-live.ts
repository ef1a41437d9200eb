import { useCallback, useSyncExternalStore } from 'react';
import type { ClientObject, InputObject, RecordRow, RuleContext } from '@crm/engine/core';
import type { UiLocale } from '../../i18n/i18n';
import { formRuleState, type FormValues } from '../../layouts/form-data';
import { layoutState, shownFields, writableFields, type FormLayout, type SectionState } from '../../layouts/form-layout';
import { changedFields, checkForm, formInput, issuesIn, placeIssues, type FormCheck } from './form-check';

/**
 * A form's live state outside React: core's check, formulas and the layout's conditions run on
 * every value change (react-hook-form's subscribe, not a render), and each part of the form reads
 * only its own slice (useLive), so a keystroke re-renders the field typed into and the fields
 * whose message, formula, lock or controlling value it changes, not the other 199.
 */

/** A server answer that the form shows: issues on fields and a message at the top. */
export interface ServerAnswer {
  readonly issues: readonly { path: string; code: string; message: string; field?: string }[];
  readonly message: string;
  readonly conflict: boolean;
}

/** What the state is derived from besides the values: the object, the record it starts from, the user. */
export interface LiveDeps {
  readonly object: ClientObject;
  readonly input: InputObject;
  readonly layout: FormLayout;
  readonly context: RuleContext;
  /** The stored row an edit changes (none on create). */
  readonly old: Readonly<RecordRow> | undefined;
  /** Where the form started (the record's values or the defaults). */
  readonly initial: FormValues;
  readonly editing: boolean;
  readonly locale: UiLocale;
  /** A layout condition's answer on the record's rule data (core's compiled rule). */
  readonly holds: (condition: unknown, data: Readonly<Record<string, unknown>>) => boolean;
}

/** What the user did that decides which issues show. */
export interface LiveInputs {
  readonly values: FormValues;
  /** Fields the user has been to. */
  readonly touched: ReadonlySet<string>;
  /** A save was attempted: every issue shows. */
  readonly submitted: boolean;
  readonly server: ServerAnswer | undefined;
}

export interface LiveState extends LiveInputs {
  readonly initial: FormValues;
  readonly formulas: Readonly<Record<string, unknown>>;
  /** The same array until a section's or field's visibility or lock changes. */
  readonly states: readonly SectionState[];
  readonly shown: ReadonlySet<string>;
  readonly writable: ReadonlySet<string>;
  readonly changed: readonly string[];
  readonly dirty: boolean;
  /** What a save sends. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly check: FormCheck;
  /** The messages shown under each field, joined (one string per field: compared by value). */
  readonly messages: Readonly<Record<string, string>>;
  /** Messages at the top of the form (the same array until they change). */
  readonly general: readonly string[];
}

const sameStates = (a: readonly SectionState[], b: readonly SectionState[]): boolean =>
  a.length === b.length &&
  a.every((state, s) => {
    const other = b[s]!;
    return (
      state.section === other.section &&
      state.visible === other.visible &&
      state.fields.length === other.fields.length &&
      state.fields.every((field, f) => field.visible === other.fields[f]!.visible && field.readOnly === other.fields[f]!.readOnly)
    );
  });

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((name) => b.has(name));
const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((item, i) => item === b[i]);

/**
 * The form's state for these values: conditions, formulas and the check, all from core on the
 * record as the server would hold it; the issues shown under fields the user has been to (all
 * after a save attempt; rule messages as soon as anything changed), then what the server said.
 * Parts equal to `previous` keep its references, so readers of them do not re-render.
 */
export function deriveLive(deps: LiveDeps, inputs: LiveInputs, previous?: LiveState): LiveState {
  const { input, layout, context, old, initial, editing, locale, object } = deps;
  const { values, touched, submitted, server } = inputs;
  const { data, formulas } = formRuleState(input, values, context, old);
  let states: readonly SectionState[] = layoutState(layout, (condition) => deps.holds(condition, data));
  if (previous && sameStates(previous.states, states)) states = previous.states;
  const stable = previous !== undefined && states === previous.states;
  let shown: ReadonlySet<string> = stable ? previous.shown : shownFields(states);
  let writable: ReadonlySet<string> = stable ? previous.writable : writableFields(object, states);
  if (previous && !stable && sameSet(previous.shown, shown)) shown = previous.shown;
  if (previous && !stable && sameSet(previous.writable, writable)) writable = previous.writable;
  const changed = changedFields(values, initial);
  const dirty = changed.length > 0;
  const payload = formInput(values, writable, initial, editing);
  const check = checkForm(input, payload, context, old);

  const local = check.ok ? [] : issuesIn(check.error, locale);
  const visibleLocal = local.filter((issue) => submitted || (issue.code.startsWith('rule:') ? dirty : touched.has(issue.field ?? issue.path)));
  const placed = placeIssues([...visibleLocal, ...(server?.issues ?? [])], shown);
  const messages: Record<string, string> = {};
  for (const [name, list] of Object.entries(placed.byField)) messages[name] = list.join(' ');
  let general: readonly string[] = [...placed.general, ...(server && server.issues.length === 0 && !server.conflict ? [server.message] : [])];
  if (previous && sameList(previous.general, general)) general = previous.general;

  return { values, touched, submitted, server, initial, formulas, states, shown, writable, changed, dirty, payload, check, messages, general };
}

/**
 * The fields whose own slice (value, messages, formula) differs between two states, or undefined
 * when something every field reads changed (the layout's states, what may be written, where the
 * form started): then everyone is told.
 */
export function changedSlices(previous: LiveState, next: LiveState): ReadonlySet<string> | undefined {
  if (previous.states !== next.states || previous.writable !== next.writable || previous.initial !== next.initial) return undefined;
  const names = new Set<string>();
  const compare = (a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>) => {
    if (a === b) return;
    for (const name in a) if (!Object.is(a[name], b[name])) names.add(name);
    for (const name in b) if (!(name in a)) names.add(name);
  };
  compare(previous.values, next.values);
  compare(previous.messages, next.messages);
  compare(previous.formulas, next.formulas);
  return names;
}

/**
 * The store: the inputs as the user changes them, the derived state, and who reads it. Readers of
 * one field's slice subscribe to that field (subscribeField) and are told only when it changed: a
 * keystroke wakes the field typed into and those it affects, not 200 fields' readers.
 */
export class FormLive {
  private deps: LiveDeps;
  private state: LiveState;
  private readonly listeners = new Set<() => void>();
  private readonly fieldListeners = new Map<string, Set<() => void>>();

  constructor(deps: LiveDeps, inputs: LiveInputs) {
    this.deps = deps;
    this.state = deriveLive(deps, inputs);
  }

  readonly get = (): LiveState => this.state;

  /** Told of every change. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Told when the field's value, messages or formula changed, or something every field reads (see changedSlices). */
  readonly subscribeField = (name: string, listener: () => void): (() => void) => {
    let set = this.fieldListeners.get(name);
    if (!set) this.fieldListeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  };

  /** The object, record or language changed (a reload after a conflict, a language switch). */
  setDeps(deps: LiveDeps): void {
    if (Object.keys(deps).every((key) => deps[key as keyof LiveDeps] === this.deps[key as keyof LiveDeps])) return;
    this.deps = deps;
    this.update({});
  }

  setValues(values: FormValues): void {
    this.update({ values });
  }

  /** The user left a field: its issues show from now on. */
  touch(name: string): void {
    if (!this.state.touched.has(name)) this.update({ touched: new Set(this.state.touched).add(name) });
  }

  /** The user changed a field: touched, and what the server said about it goes. */
  changed(name: string): void {
    const { server, touched } = this.state;
    const stale = server?.issues.some((issue) => (issue.field ?? issue.path) === name) === true;
    if (touched.has(name) && !stale) return;
    this.update({
      touched: touched.has(name) ? touched : new Set(touched).add(name),
      ...(stale && server ? { server: { ...server, issues: server.issues.filter((issue) => (issue.field ?? issue.path) !== name) } } : {}),
    });
  }

  update(inputs: Partial<LiveInputs>): void {
    const previous = this.state;
    const { values, touched, submitted, server } = previous;
    this.state = deriveLive(this.deps, { values, touched, submitted, server, ...inputs }, previous);
    for (const listener of this.listeners) listener();
    const names = changedSlices(previous, this.state);
    if (names === undefined) {
      for (const set of this.fieldListeners.values()) for (const listener of set) listener();
    } else {
      for (const name of names) for (const listener of this.fieldListeners.get(name) ?? []) listener();
    }
  }
}

/**
 * A slice of the form's live state; re-renders only when the slice changes (return primitives or
 * kept references). With `field`, the slice must read only that field's value, messages or
 * formula (besides what every field reads): it is then recomputed only when those change.
 */
export function useLive<T>(live: FormLive, select: (state: LiveState) => T, field?: string): T {
  const subscribe = useCallback((listener: () => void) => (field === undefined ? live.subscribe(listener) : live.subscribeField(field, listener)), [live, field]);
  return useSyncExternalStore(subscribe, () => select(live.get()));
}
