// @ts-check
/**
 * The layer rules of the tree: which top-level folder may import what. One local ESLint rule checks every way a
 * module can be named — `import … from`, `export … from`, dynamic `import()`, `require()`, `import x = require()` and
 * `import('…')` types — against the importing file's layer. Relative specifiers are resolved against the importing
 * file, so `../../main/x` from electron/services is seen as electron/main. A dynamic `import()` or `require()` whose module
 * is not a literal cannot be checked and is refused everywhere. docs/architecture.md has the table in words.
 */
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {{ path?: string, module?: string, message: string }} Forbidden
 *   `path`: a regular expression over the repository-relative path a relative specifier resolves to (no extension
 *   added); `module`: a regular expression over a package specifier.
 */

const topLevelBuiltins = builtinModules.filter((name) => !name.startsWith('_') && !name.includes('/'));

/** @type {Forbidden} */
export const nodeBuiltins = { module: `^(node:|(${topLevelBuiltins.join('|')})(/|$))`, message: 'Node builtins are not available in this layer.' };
/** @param {string} message @returns {Forbidden} */
export const electronPackage = (message) => ({ module: '^electron(/|$)', message });
/** @type {Forbidden} */
export const uiPackages = { module: '^(vue|pinia|naive-ui|vue-i18n|vue-echarts|echarts|@vue/.*|@tanstack/.*)$', message: 'shared/ is plain TypeScript: no Vue, Pinia or UI libraries.' };

/**
 * Forbids every folder except `allowed` (repository-relative prefixes; a prefix ending in `$` is one exact module).
 * @param {string[]} allowed
 * @param {string} message
 * @returns {Forbidden}
 */
export function onlyInto(allowed, message) {
  const alternatives = allowed.map((a) => (a.endsWith('$') ? a : `${a}(/|$)`));
  return { path: `^(?!(?:${alternatives.join('|')}))`, message };
}

/**
 * @param {string[]} folders
 * @param {string} message
 * @returns {Forbidden}
 */
export function notInto(folders, message) {
  return { path: `^(?:${folders.join('|')})(/|$)`, message };
}

/** @param {unknown} node @returns {string | null} the module a literal or expression-free template names */
function literalSource(node) {
  const n = /** @type {{ type?: string, value?: unknown, expressions?: unknown[], quasis?: Array<{ value: { cooked: string } }> }} */ (node);
  if (n.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n.type === 'TemplateLiteral' && n.expressions?.length === 0) return n.quasis?.[0]?.value.cooked ?? null;
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'What a layer may import, static and dynamic (docs/architecture.md, Layers).' },
    schema: [
      {
        type: 'object',
        properties: {
          forbid: {
            type: 'array',
            items: { type: 'object', properties: { path: { type: 'string' }, module: { type: 'string' }, message: { type: 'string' } }, required: ['message'], additionalProperties: false },
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden: "'{{source}}': {{message}}",
      notLiteral: 'A dynamic {{kind}} must name its module with a string literal, so the layer rules can check it.',
    },
  },
  create(context) {
    const options = /** @type {{ forbid?: Forbidden[] }} */ (context.options[0] ?? {});
    const forbid = (options.forbid ?? []).map((f) => ({ ...f, pathRe: f.path ? new RegExp(f.path) : null, moduleRe: f.module ? new RegExp(f.module) : null }));
    const fromDir = dirname(context.filename);
    /** @param {import('estree').Node} node @param {string} source */
    function check(node, source) {
      const relativeSpecifier = source.startsWith('./') || source.startsWith('../') || source === '.' || source === '..';
      const target = relativeSpecifier ? relative(root, resolve(fromDir, source)).split(sep).join('/') : source;
      for (const f of forbid) {
        const hit = relativeSpecifier ? f.pathRe?.test(target) : f.moduleRe?.test(target);
        if (hit) {
          context.report({ node, messageId: 'forbidden', data: { source, message: f.message } });
          return;
        }
      }
    }
    /** @param {import('estree').Node} node @param {unknown} sourceNode @param {string} kind */
    function checkDynamic(node, sourceNode, kind) {
      const source = literalSource(sourceNode);
      if (source === null) context.report({ node, messageId: 'notLiteral', data: { kind } });
      else check(node, source);
    }
    return {
      ImportDeclaration: (node) => check(node, String(node.source.value)),
      ExportNamedDeclaration: (node) => {
        if (node.source) check(node, String(node.source.value));
      },
      ExportAllDeclaration: (node) => check(node, String(node.source.value)),
      ImportExpression: (node) => checkDynamic(node, node.source, 'import()'),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length > 0) checkDynamic(node, node.arguments[0], 'require()');
      },
      /** @param {any} node a type named through `import('…')`: `type T = import('…').T` */
      TSImportType: (node) => {
        const source = node.source ?? node.argument?.literal ?? node.argument;
        checkDynamic(node, source, 'import() type');
      },
      /** @param {any} node TypeScript's `import x = require('…')` */
      TSImportEqualsDeclaration: (node) => {
        if (node.moduleReference?.type === 'TSExternalModuleReference') checkDynamic(node, node.moduleReference.expression, 'require()');
      },
    };
  },
};

/** The local plugin: `layers/imports`. */
export const layersPlugin = { meta: { name: 'callsift-layers' }, rules: { imports: importsRule } };

/** @param {Forbidden[]} forbid */
const layerRule = (forbid) => ({ 'layers/imports': ['error', { forbid }] });

const servicesBelow = 'electron/services, workers, server and cli never import electron/main or electron/preload (or \'electron\'); the shell sits on top of them.';

/**
 * One flat-config entry per layer. Later entries override earlier ones for the files both match, so each entry lists
 * everything its layer may not import.
 */
export const layerConfigs = [
  { plugins: { layers: layersPlugin } },
  {
    files: ['shared/**/*.ts'],
    rules: layerRule([nodeBuiltins, electronPackage("shared/ runs in every process: no 'electron'."), uiPackages, onlyInto(['shared'], 'shared/ imports only shared/: it runs in the UI, the services, the workers and the platform alike.')]),
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    rules: layerRule([
      nodeBuiltins,
      electronPackage("renderer/ reaches the app through renderer/api only, never 'electron'."),
      onlyInto(['renderer', 'shared'], 'renderer/ imports only renderer/ and shared/; the services are reached through renderer/api.'),
    ]),
  },
  {
    files: ['renderer/**/*.test.ts'],
    rules: layerRule([electronPackage("renderer/ tests never import 'electron'."), onlyInto(['renderer', 'shared'], 'renderer/ imports only renderer/ and shared/; the services are reached through renderer/api.')]),
  },
  {
    files: ['electron/**/*.ts'],
    rules: layerRule([
      electronPackage("Only electron/main and electron/preload import 'electron'."),
      notInto(['electron/main', 'electron/preload'], servicesBelow),
      onlyInto(['electron', 'shared', 'lib', 'resources'], 'electron/ imports only electron/, shared/, lib/ and resources/ (never renderer/ or platform/).'),
    ]),
  },
  {
    files: ['electron/services/**/*.ts', 'electron/workers/**/*.ts'],
    rules: layerRule([
      electronPackage("Only electron/main and electron/preload import 'electron'."),
      notInto(['electron/main', 'electron/preload', 'electron/server', 'electron/cli'], 'electron/services and electron/workers sit below the shells: never import electron/main, preload, server or cli.'),
      onlyInto(['electron/services', 'electron/workers', 'shared', 'lib', 'resources'], 'electron/services imports only electron/services, electron/workers, shared/, lib/ and resources/ (never renderer/ or platform/).'),
    ]),
  },
  {
    // Tests, and the fixtures that start the reference platform for them (and for the gate bench).
    files: ['electron/services/**/*.test.ts', 'electron/services/sync/testPlatform.ts', 'electron/services/sync/testGateLoop.ts'],
    rules: layerRule([
      electronPackage("Only electron/main and electron/preload import 'electron'."),
      notInto(['electron/main', 'electron/preload', 'electron/server', 'electron/cli'], 'electron/services and electron/workers sit below the shells: never import electron/main, preload, server or cli.'),
      onlyInto(['electron/services', 'electron/workers', 'shared', 'lib', 'resources', 'platform'], 'electron/services tests may also run the reference platform, but never import renderer/.'),
    ]),
  },
  {
    files: ['electron/server/**/*.ts', 'electron/cli/**/*.ts'],
    rules: layerRule([
      electronPackage("Only electron/main and electron/preload import 'electron'."),
      notInto(['electron/main', 'electron/preload'], servicesBelow),
      onlyInto(['electron', 'shared', 'lib', 'resources'], 'electron/ imports only electron/, shared/, lib/ and resources/ (never renderer/ or platform/).'),
    ]),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: layerRule([onlyInto(['electron', 'shared', 'lib', 'resources'], 'electron/main imports only electron/, shared/, lib/ and resources/ (never renderer/ or platform/).')]),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: layerRule([onlyInto(['electron/preload', 'shared'], "electron/preload is bundled into a sandbox: it imports only 'electron' and shared/.")]),
  },
  {
    files: ['platform/**/*.ts'],
    rules: layerRule([
      electronPackage("platform/ is its own server process: no 'electron'."),
      onlyInto(['platform', 'shared', 'lib', 'resources'], 'platform/ is another product: it imports only platform/, shared/, lib/ and resources/ (never electron/ or renderer/).'),
    ]),
  },
  {
    files: ['lib/**/*.ts'],
    rules: layerRule([electronPackage("lib/ is plain Node: no 'electron'."), onlyInto(['lib', 'shared'], 'lib/ holds building blocks with no app knowledge: it imports only lib/ and shared/.')]),
  },
  {
    files: ['resources/**/*.ts'],
    rules: layerRule([electronPackage("resources/ never imports 'electron'."), onlyInto(['resources', 'shared'], 'resources/ (demo data, the intent library) imports only resources/ and shared/.')]),
  },
  {
    files: ['scripts/**/*.ts'],
    rules: layerRule([electronPackage("scripts/ never imports 'electron'."), onlyInto(['scripts', 'shared', 'lib'], 'scripts/ are standalone tools: they import only scripts/, shared/ and lib/.')]),
  },
  {
    files: ['bench/**/*.ts'],
    rules: layerRule([
      electronPackage("bench/ runs under Node: no 'electron'."),
      notInto(['electron/main', 'electron/preload'], 'bench/ measures the services, the bridge and the platform: never electron/main or electron/preload.'),
      onlyInto(['bench', 'electron', 'platform', 'shared', 'lib', 'resources', 'scripts'], 'bench/ may use electron/services, electron/server, platform/, shared/, lib/, resources/ and scripts/, never renderer/ or e2e/.'),
    ]),
  },
  {
    files: ['eslint/**/*.{js,ts}'],
    rules: layerRule([onlyInto(['eslint'], 'eslint/ holds the lint rules and their test: it imports no part of the app.')]),
  },
  {
    files: ['e2e/**/*.ts'],
    rules: layerRule([
      electronPackage("e2e/ drives browser mode: no 'electron'."),
      onlyInto(
        ['e2e', 'shared', 'renderer/api', 'scripts', 'electron/services/store/testCalls$', 'electron/server/testServer$', 'platform/testPlatform$'],
        'e2e/ talks to the app through renderer/api and shared/ (fixtures: electron/services/store/testCalls, electron/server/testServer, platform/testPlatform).',
      ),
    ]),
  },
];
