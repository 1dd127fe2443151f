// The console's pages, in navigation order. Configure and Audit come from other parts of the
// console; a build without one of them still runs (the import fails and the page is left out).
// A site has its own overview and no readers, tuning, configuration API or audits; its pages
// are loaded only at a site, so a gateway's first load does not carry them.
import overview from './overview.js';
import { gatewayOnly } from './site.js';
import zones from './zones.js';
import asset from './asset.js';
import tuning from './tuning.js';

async function optional(name) {
  try {
    return (await import(`./${name}.js`)).default;
  } catch (_) {
    return null;
  }
}

const configure = await optional('configure');
const audit = await optional('audit');

export default [overview, zones, asset, tuning, configure, audit].filter(Boolean);

export async function sitePages() {
  const siteOverview = (await import('./site-overview.js')).default;
  return [siteOverview, zones, asset,
    gatewayOnly('tuning', 'Tuning', 'Tuning shows what one gateway\'s readers hear; a site has no readers.'),
    gatewayOnly('configure', 'Configure', 'The site is configured in its site.yaml, which the site does not edit over the API.'),
    gatewayOnly('audit', 'Audit', 'An audit compares an expected list with what one gateway\'s readers found.')];
}
