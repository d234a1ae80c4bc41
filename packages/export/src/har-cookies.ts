import type { Headers } from '@looptape/recording';

/** One cookie as HAR 1.2 lists it. */
export interface HarCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  expires?: string;
  httpOnly?: boolean;
  secure?: boolean;
}

/** The cookies a request sent, from its `cookie` header(s): `a=1; b=2`. */
export function requestCookies(headers: Headers): HarCookie[] {
  return headerValues(headers, 'cookie').flatMap((header) => header.split(';').map((pair) => pair.trim()).filter(Boolean).map(nameValue));
}

/** The cookies a response set, one per `set-cookie` header, with the attributes HAR has fields for. */
export function responseCookies(headers: Headers): HarCookie[] {
  return headerValues(headers, 'set-cookie').map((header) => {
    const [pair, ...attributes] = header.split(';').map((part) => part.trim());
    const cookie = nameValue(pair);
    for (const attribute of attributes) {
      const eq = attribute.indexOf('=');
      const key = (eq < 0 ? attribute : attribute.slice(0, eq)).trim().toLowerCase();
      const value = eq < 0 ? '' : attribute.slice(eq + 1).trim();
      if (key === 'path') cookie.path = value;
      else if (key === 'domain') cookie.domain = value;
      else if (key === 'httponly') cookie.httpOnly = true;
      else if (key === 'secure') cookie.secure = true;
      else if (key === 'expires' && !Number.isNaN(Date.parse(value))) cookie.expires = new Date(value).toISOString();
    }
    return cookie;
  });
}

function nameValue(pair: string): HarCookie {
  const eq = pair.indexOf('=');
  return eq < 0 ? { name: '', value: pair } : { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
}

/** Every value of a header, whatever the case of its name and however many times it was sent. */
export function headerValues(headers: Headers, name: string): string[] {
  return Object.entries(headers).filter(([key]) => key.toLowerCase() === name).flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
}
