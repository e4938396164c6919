/**
 * The Content-Security-Policy of the HTML reports: a second line of defence behind the escaping. Only the page's
 * own inline scripts run (allowed by their SHA-256), nothing is fetched from the network, no plugin, no form,
 * no <base>. HTML outputs live in sandboxed srcdoc iframes, which inherit this policy.
 */
import { createHash } from 'node:crypto';

/** `<meta http-equiv="Content-Security-Policy">` allowing exactly the given inline script bodies. */
export function cspMeta(scriptBodies: readonly string[]): string {
  const hashes = scriptBodies.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
  const policy = [
    "default-src 'none'",
    `script-src ${hashes.length ? hashes.join(' ') : "'none'"}`,
    "style-src 'unsafe-inline'", // the renderers and Plotly set inline styles; styles cannot run code
    'img-src data: blob:',
    'font-src data:',
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
}
