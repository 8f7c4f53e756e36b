// Runs the transform off the page's thread. Keeps the input lines so a row's full document
// can be produced again on demand instead of holding every document in memory.
import init, { Transformer } from '../npm/web/nps_enrich_wasm.js';

let transformer = null;
let lines = [];

function summary(index, json) {
  const d = JSON.parse(json);
  const e = d.event ?? {};
  if (e.kind === 'pipeline_error') {
    return { index, error: `${d.error?.type}: ${d.error?.message}`, original: e.original ?? '' };
  }
  const nps = d.nps ?? {};
  const user = d.user ? (d.user.domain ? `${d.user.domain}\\${d.user.name}` : d.user.name) : '';
  const client = d.source?.ip ?? d.source?.mac ?? nps.client?.friendly_name ?? d.observer?.name ?? '';
  const result = [
    e.action,
    e.outcome,
    nps.quarantine?.state?.name ? `quarantine: ${nps.quarantine.state.name}` : null,
  ].filter(Boolean).join(' · ');
  const reason = e.reason ?? nps.reason?.name ?? d.ipsec?.meaning ?? '';
  const policy = d.rule?.name ?? d.rule?.ruleset ?? '';
  const enforcement = nps.enforcement ? nps.enforcement.type + (nps.enforcement.inferred ? ' (inferred)' : '') : '';
  const health = (nps.system_health ?? []).map((v) => ({
    validator: v.validator_id === 'wshv' ? 'WSHV' : v.validator,
    compliance: v.compliance ?? v.compliance_raw ?? '',
    items: (v.items ?? []).map((it) => ({ name: it.name ?? `#${it.index}`, ok: it.ok !== false, code: it.code })),
  }));
  return {
    index,
    time: d['@timestamp'] ?? '',
    format: e.dataset ?? '',
    user, client, result, reason, policy, enforcement, health,
  };
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'start') {
      if (!transformer) await init();
      transformer = new Transformer({ timezone: data.timezone });
      lines = [];
      self.postMessage({ type: 'ready' });
    } else if (data.type === 'chunk') {
      const out = [];
      // The library's one rule: a line ends at \n, \r\n or a lone \r.
      for (const raw of data.text.split(/\r\n|\r|\n/)) {
        const doc = transformer.line(raw);
        if (doc === '') continue; // blank line
        lines.push(raw);
        out.push(summary(lines.length - 1, doc));
      }
      self.postMessage({ type: 'rows', rows: out, bytes: data.bytes });
    } else if (data.type === 'detail') {
      const doc = transformer.line(lines[data.index] ?? '');
      self.postMessage({ type: 'detail', index: data.index, json: JSON.stringify(JSON.parse(doc), null, 2) });
    }
  } catch (err) {
    self.postMessage({ type: 'error', message: String(err?.message ?? err) });
  }
};
