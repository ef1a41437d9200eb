import {
  documentKindCatalogue,
  LOCALES,
  usageCatalogue,
  type DocumentKind as KindLabel,
  type Locale,
  type UsageCode,
} from '../errors/catalogue';
import { CrmError, listIn, type FieldIssue } from '../errors';
import { textIn, type LocalizedText } from '../errors/localized-text';
import { computationOf, recordReferenceOf } from '../field-types';
import type { MetadataSnapshot, StoredObject } from './snapshot';
import type { DocumentKinds, KindUsage } from './document-kind';
import type { GraphIssue } from './validate-graph';

/**
 * The answer to a metadata change that would break other documents (deleting, renaming or
 * retyping a field, object or role something still uses): 409 dependency_exists naming each
 * user by kind, API name and label in the reader's language - "used by formula
 * `weighted_amount` (Weighted amount), layout `opportunity_form` (Opportunity form)" - with one
 * `fields` entry per user saying what it does with the thing ("reads Amount in its expression").
 * What a user does is read from where validate-graph found the break inside it, so every check
 * there names its users this way without knowing about this message.
 */

/** The change being refused, as the change runner describes it. */
export interface DependencySubject {
  readonly object: string;
  readonly kind: GraphIssue['kind'];
  readonly name: string;
  readonly action: 'create' | 'change' | 'delete' | 'restore';
}

/**
 * Where in a document of a kind a break was found -> what that document does with the subject
 * (the first that matches; some only when the subject is of a given kind).
 */
/** What objects and roles do with what they reference; other kinds say it in DocumentKind.usages. */
const CORE_USAGES: ReadonlyMap<GraphIssue['kind'], readonly KindUsage[]> = new Map([
  ['object', [[/^title_field$/, 'names_records']]],
  [
    'role',
    [
      [/^objects\/[^/]+\/fields\//, 'sets_access'],
      [/^objects\//, 'grants_access'],
    ],
  ],
]);

function usageAt(kinds: DocumentKinds, kind: GraphIssue['kind'], path: string, subjectKind: GraphIssue['kind']): UsageCode {
  const usages = CORE_USAGES.get(kind) ?? kinds.find(kind)?.usages ?? [];
  return usages.find(([pattern, , only]) => (only === undefined || only === subjectKind) && pattern.test(path))?.[1] ?? 'uses';
}

/** A document as it is named to people: its kind, API name and label. */
interface Named {
  readonly kind: KindLabel;
  readonly name: string;
  readonly label?: LocalizedText | undefined;
}

/** The same text in every language. */
function perLocale(text: (locale: Locale) => string): Record<Locale, string> {
  return Object.fromEntries(LOCALES.map((locale) => [locale, text(locale)])) as Record<Locale, string>;
}

function nameIn(named: Named, locale: Locale): string {
  const label = textIn(named.label, locale);
  const shown = label === undefined || label === named.name ? '' : locale === 'zh-CN' ? `（${label}）` : ` (${label})`;
  return `${documentKindCatalogue[named.kind][locale]} \`${named.name}\`${shown}`;
}

/** A named document, in every language: `formula \`weighted_amount\` (Weighted amount)`. */
export function describeDocument(named: Named): Record<Locale, string> {
  return perLocale((locale) => nameIn(named, locale));
}

function liveObject(snapshot: MetadataSnapshot, name: string): StoredObject | undefined {
  return snapshot.objects.find((o) => o.deletedAt === null && o.definition.name === name);
}

/** A field's kind as its users think of it: a formula, a rollup, a lookup... */
function fieldKind(snapshot: MetadataSnapshot, object: string, name: string): KindLabel {
  const def = liveObject(snapshot, object)?.fields.find((f) => f.definition.name === name)?.definition;
  if (!def) return 'field';
  const computed = computationOf(def)?.kind;
  if (computed === 'expression') return 'formula';
  if (computed === 'aggregate') return 'rollup';
  const reference = recordReferenceOf(def);
  return reference ? (reference.owned ? 'master_detail' : 'lookup') : 'field';
}

function documentLabel(snapshot: MetadataSnapshot, kinds: DocumentKinds, kind: GraphIssue['kind'], objectName: string, name: string): LocalizedText | undefined {
  if (kind === 'role') return snapshot.roles.find((r) => r.definition.name === name)?.definition.label;
  if (kind === 'department' || kind === 'user') return undefined;
  const object = liveObject(snapshot, objectName) ?? [...snapshot.objects].reverse().find((o) => o.definition.name === objectName);
  if (!object) return undefined;
  if (kind === 'object') return object.definition.label;
  if (kind === 'field') return object.fields.find((f) => f.definition.name === name)?.definition.label;
  const documentKind = kinds.find(kind);
  return documentKind && kinds.documentsOf(object, documentKind).find((d) => d.definition.name === name)?.definition.label;
}

/** The subject of the change as it was before it (its name and label), and what the change would do to it. */
function describeSubject(subject: DependencySubject, before: MetadataSnapshot, after: MetadataSnapshot, kinds: DocumentKinds): { named: Named; action: string } {
  const action = subject.action === 'create' ? 'add' : subject.action;
  if (subject.kind === 'object') {
    const was = liveObject(before, subject.name);
    const now = was && after.objects.find((o) => o.id === was.id && o.deletedAt === null);
    const renamed = subject.action === 'change' && now !== undefined && now.definition.name !== was!.definition.name;
    return { named: { kind: 'object', name: subject.name, label: (was ?? now)?.definition.label }, action: renamed ? 'rename' : action };
  }
  if (subject.kind === 'field') {
    // A changed field is named by its new name in the subject; its id finds what it was.
    const now = liveObject(after, subject.object)?.fields.find((f) => f.definition.name === subject.name);
    const was = liveObject(before, subject.object)?.fields.find((f) => (now ? f.id === now.id : f.definition.name === subject.name));
    const field = (was ?? now)?.definition;
    // A new type is what breaks users when a change also renames (renames are followed everywhere).
    const change = subject.action !== 'change' || !was || !now ? action : was.definition.type !== now.definition.type ? 'change_type' : was.definition.name !== now.definition.name ? 'rename' : 'change';
    return { named: { kind: 'field', name: field?.name ?? subject.name, label: field?.label }, action: change };
  }
  const label = documentLabel(before, kinds, subject.kind, subject.object, subject.name) ?? documentLabel(after, kinds, subject.kind, subject.object, subject.name);
  return { named: { kind: subject.kind, name: subject.name, label }, action };
}

/**
 * dependency_exists for issues that a change caused in other documents, with `path` giving each
 * issue's address in the whole metadata (as the change runner reports paths).
 */
export function dependencyError(
  subject: DependencySubject,
  issues: readonly GraphIssue[],
  snapshots: { readonly before: MetadataSnapshot; readonly after: MetadataSnapshot },
  path: (issue: GraphIssue) => string,
  kinds: DocumentKinds,
): CrmError {
  const { named: thing, action } = describeSubject(subject, snapshots.before, snapshots.after, kinds);
  const users = new Map<string, { named: Named; path: string; usages: UsageCode[] }>();
  for (const issue of issues) {
    const key = `${issue.object}/${issue.kind}/${issue.name}`;
    let user = users.get(key);
    if (!user) {
      const name = issue.kind === 'object' ? issue.object : issue.object && issue.object !== subject.object ? `${issue.object}.${issue.name}` : issue.name;
      const kind = issue.kind === 'field' ? fieldKind(snapshots.after, issue.object, issue.name) : issue.kind;
      const label = documentLabel(snapshots.after, kinds, issue.kind, issue.object, issue.kind === 'object' ? issue.object : issue.name);
      user = { named: { kind, name, label }, path: path(issue), usages: [] };
      users.set(key, user);
    }
    const usage = usageAt(kinds, issue.kind, issue.path, subject.kind);
    if (!user.usages.includes(usage)) user.usages.push(usage);
  }
  const subjectText = (locale: Locale) => textIn(thing.label, locale) ?? thing.name;
  const fields: FieldIssue[] = [...users.values()].map((user) => ({
    path: user.path,
    code: 'used_by',
    params: {
      user: describeDocument(user.named),
      uses: perLocale((locale) =>
        listIn(
          user.usages.map((usage) => usageCatalogue[usage][locale].replace('{subject}', subjectText(locale))),
          locale,
        ),
      ),
    },
  }));
  return new CrmError(
    'dependency_exists',
    {
      action,
      subject: describeDocument(thing),
      dependents: perLocale((locale) => listIn([...users.values()].map((user) => nameIn(user.named, locale)), locale)),
    },
    fields,
  );
}
