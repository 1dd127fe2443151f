// The console's pages, in navigation order. Configure and Audit come from other parts of the
// console; a build without one of them still runs (the import fails and the page is left out).
import overview from './overview.js';
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
