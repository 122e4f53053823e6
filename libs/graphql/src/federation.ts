/**
 * Federation 2 must be set explicitly: without it NestJS prints Federation 1 SDL and composition
 * fails (NOTES.md). NestJS 13.4 defaults to federation v2.12 importing @cacheTag and friends, which
 * @theguild/federation-composition 0.27 (our compose script, Hive gateway) does not know (it stops
 * at v2.9); v2.6 is the first with all three auth directives the gateway enforces (DESIGN.md §5).
 */
export const FEDERATION = {
  version: 2 as const,
  importUrl: 'https://specs.apollo.dev/federation/v2.6',
  directives: ['@key', '@shareable', '@external', '@requires', '@provides', '@tag', '@inaccessible', '@authenticated', '@requiresScopes', '@policy'],
};
