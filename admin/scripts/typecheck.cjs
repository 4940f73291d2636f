// Type-checks the admin (.ts and .vue) with vue-tsc. vue-tsc drives TypeScript's JavaScript API,
// which TypeScript 7 (the root's tsc) no longer has, so it is pointed at the admin's own TypeScript 5.
const { run } = require('vue-tsc');
process.argv.push('-p', require('node:path').join(__dirname, '..', 'tsconfig.json'));
run(require.resolve('typescript/lib/tsc', { paths: [__dirname] }));
