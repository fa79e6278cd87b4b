/**
 * S3's XML, written and read by hand: responses are small fixed shapes, and requests carry only a few
 * flat elements (a location constraint, a versioning status, the keys of a multi-object delete).
 */

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Ordered child elements; an undefined value leaves the element out, an array nests elements. */
export type XmlContent = ReadonlyArray<readonly [string, XmlValue]>;
export type XmlValue = string | number | boolean | undefined | XmlContent;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function render(content: XmlContent): string {
  let out = '';
  for (const [name, value] of content) {
    if (value === undefined) continue;
    const inner = typeof value === 'object' ? render(value) : escapeXml(String(value));
    out += `<${name}>${inner}</${name}>`;
  }
  return out;
}

/** A whole document: the root element in S3's namespace (error documents have none), holding elements or text. */
export function xmlDocument(
  root: string,
  content: XmlContent | string,
  namespace: string | null = S3_NAMESPACE,
): string {
  const ns = namespace ? ` xmlns="${namespace}"` : '';
  const inner = typeof content === 'string' ? escapeXml(content) : render(content);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${inner}</${root}>`;
}

export function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e]!;
  });
}

/** Inner texts of every `<name>` element (namespace prefixes allowed, no nesting of the same name). */
export function elementTexts(xml: string, name: string): string[] {
  const re = new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w-]+:)?${name}>`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1]!);
}

export function elementText(xml: string, name: string): string | undefined {
  const [first] = elementTexts(xml, name);
  return first === undefined ? undefined : unescapeXml(first);
}

/** A cheap well-formedness check of a request body: the expected root, opened and closed. */
export function hasRoot(xml: string, root: string): boolean {
  const body = xml.replace(/^\uFEFF?\s*(<\?xml[^>]*\?>)?\s*/, '');
  return (
    new RegExp(`^<(?:[\\w-]+:)?${root}[\\s>/]`).test(body) && new RegExp(`</(?:[\\w-]+:)?${root}>\\s*$`).test(body)
  );
}
