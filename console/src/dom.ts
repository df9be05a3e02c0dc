/** The one element helper of the console: attributes, `on<event>` listeners and children. */
export type Child = Node | string | number | null | undefined | false;

export type Attributes = Readonly<
  Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>
>;

export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: readonly (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined)
      element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
};

export const percent = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : `${Math.round(value * 100)}%`;

/**
 * A date-time to the minute in `timeZone`, the zone named after it ("7 Dec 2026, 16:05
 * Asia/Shanghai"): the school day's zone (`LMS_TIMEZONE`) and the reader's clock may differ,
 * and a time without its zone beside a cron in another reads as a contradiction. A 24-hour
 * clock, so it reads as the cron does. `seconds` writes them too ("16:05:03"), for the
 * times a window of seconds decides (when answers just posted start to count): to the
 * minute, a run in that minute would look late enough and not be.
 */
export const when = (
  iso: string | null | undefined,
  timeZone: string,
  { seconds = false }: { readonly seconds?: boolean } = {},
): string => {
  if (iso === null || iso === undefined) return '–';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return `${zonedFormat(timeZone, seconds).format(time)} ${timeZone}`;
};

const formats = new Map<string, Intl.DateTimeFormat>();
const zonedFormat = (timeZone: string, seconds: boolean): Intl.DateTimeFormat => {
  const key = `${timeZone}|${seconds}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
    });
    formats.set(key, format);
  }
  return format;
};

/** "1 day", "3 days". */
export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;
