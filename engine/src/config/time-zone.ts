/**
 * Why a TZ value would not be the process's time zone, or undefined when it would. Node looks TZ
 * up by its exact spelling and silently runs on UTC when it finds nothing (`Mars/Olympus`,
 * `asia/shanghai`), while Intl accepts any letter case: so the name must be known to Intl and
 * spelled as the database of time zones spells it. A leading `:` (glibc's form) is allowed.
 */
export function processTimeZoneProblem(value: string): string | undefined {
  const name = value.startsWith(':') ? value.slice(1) : value;
  const refused = 'must be an IANA time zone name such as Asia/Shanghai or UTC';
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return refused;
  }
  if (resolved === name) return undefined;
  // Same zone under another letter case: Node would not find it.
  if (resolved?.toLowerCase() === name.toLowerCase()) return `${refused} (spelled exactly: ${resolved})`;
  // An alias (US/Pacific, EST5EDT, GMT): its parts start with a capital letter or a digit.
  if (name.split('/').some((part) => /^[a-z]/.test(part))) return `${refused} (spelled exactly, with capitals)`;
  return undefined;
}
