/** Maps the tsconfig path aliases (`@plant/x` → `libs/x/src`) to jest's moduleNameMapper. */
function pathsToModuleNameMapper(paths) {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(paths)) {
    mapper[`^${alias.replace('/', '\\/')}$`] = `<rootDir>/${target}`;
    mapper[`^${alias.replace('/', '\\/')}/(.*)$`] = `<rootDir>/${target}/$1`;
  }
  return mapper;
}
module.exports = { pathsToModuleNameMapper };
