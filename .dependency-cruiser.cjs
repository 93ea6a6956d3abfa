// The layers of obieg, checked by test/unit/layers.test.ts (in the test command). A request goes
// api → (domain, db, lib, workflows/messages + rules) → Temporal → workflows → activities → (db, lib).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import circles make load order matter and hide which module owns what (type-only imports vanish at run time).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'workflows-import-nothing-with-side-effects',
      comment:
        'Workflows run in the deterministic sandbox: as values they import only workflow code and @temporalio/workflow (and two pure names of @temporalio/common); anything else only as a type.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { dependencyTypesNot: ['type-only'], pathNot: ['^workflows/', 'node_modules/@temporalio/(workflow|common)/'] },
    },
    {
      name: 'domain-is-pure',
      comment: 'The domain vocabulary (roles, …) depends on nothing but itself.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { pathNot: ['^domain/'] },
    },
    {
      name: 'db-and-lib-below-api-and-activities',
      comment: 'Persistence and infrastructure never reach up into the API, the activities or the worker.',
      severity: 'error',
      from: { path: '^(db|lib)/' },
      to: { path: '^(api|activities|worker)/' },
    },
    {
      name: 'api-imports-no-activities',
      comment: 'The API starts and talks to workflows; side effects belong to activities run by the worker.',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: '^(activities|worker)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'api-imports-no-workflow-implementations',
      comment: 'The API reads the workflows\' messages and pure rules, never their code (start them by name, typed).',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: '^workflows/', pathNot: ['^workflows/(messages|rules)(/|\\.ts$)'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
