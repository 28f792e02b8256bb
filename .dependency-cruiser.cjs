// The layer rules (npm run deps): handlers → http and domain → data → config, never back.
/** @type {import('dependency-cruiser').IConfiguration} */
const DOMAIN =
  '^shared/(accounts|tasks|payments|payouts|events|notifications|ops|money|disputes|conversations|reviews|blocks|legal|telegram)/';
const DATA = '^shared/(db|cache)/';
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other cannot be understood (or tested) apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-not-http',
      severity: 'error',
      comment: 'Domain code knows no HTTP: it throws domain errors, the one error mapper picks the status.',
      from: { path: DOMAIN },
      to: { path: '^shared/http/' },
    },
    {
      name: 'data-not-above',
      severity: 'error',
      comment: 'The database and cache layers serve the domain; they never import it or HTTP.',
      from: { path: DATA },
      to: { path: [DOMAIN, '^shared/http/'] },
    },
    {
      name: 'config-imports-nothing',
      severity: 'error',
      comment: 'Configuration is the bottom layer.',
      from: { path: '^shared/config\\.ts$' },
      to: { path: '^(shared|functions)/', pathNot: '^shared/config\\.ts$' },
    },
    {
      name: 'shared-not-handlers',
      severity: 'error',
      comment: 'Handlers sit on top; nothing of shared/ imports them.',
      from: { path: '^shared/' },
      to: { path: '^functions/' },
    },
    {
      name: 'product-not-tools',
      severity: 'error',
      comment: 'What ships to AWS never imports the local stack, the tests or the bench.',
      from: { path: '^(shared|functions)/' },
      to: { path: '^(local|test|bench)/' },
    },
    {
      name: 'site-apart',
      severity: 'error',
      comment: 'The site is a browser bundle of its own.',
      from: { path: '^frontend/src/' },
      to: { path: '^(shared|functions|local)/' },
    },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.local|\\.esbuild|\\.serverless|frontend/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
