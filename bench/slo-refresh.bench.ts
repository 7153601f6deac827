/**
 * SLO and dashboard refresh: how many queries one refresh sends to Prometheus, against the number of
 * distinct PromQL expressions the pack's panels and SLOs name (identical queries must go out once).
 */
import { defaultPackDir } from '../electron/core/config/config-loader.js';
import { loadPack } from '../electron/core/config/pack-loader.js';
import { MetricsHub } from '../electron/core/dashboards/metrics-hub.js';
import type { MetricsSource } from '../electron/core/ports.js';
import { report } from './bench-kit.js';

const pack = await loadPack(defaultPackDir());
let sent = 0;
const counting: MetricsSource = {
  name: 'counting',
  instant: async () => {
    sent++;
    return { data: [{ labels: {}, value: 1 }], warnings: [] };
  },
  range: async () => ({ data: [], warnings: [] }),
};
const hub = new MetricsHub(pack, counting, 5);
await hub.tick(Date.now());
const panelQueries = pack.dashboards.flatMap((d) => d.panels.flatMap((p) => p.queries)).length + pack.slos.length;
report({
  name: 'SLO+dashboard refresh: queries sent',
  reference: `${hub.distinctExpressions} distinct expressions (${panelQueries} panel/SLO queries)`,
  figure: `${sent} queries`,
  ratio: sent / hub.distinctExpressions,
});
