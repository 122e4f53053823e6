// The repo compiles with `moduleResolution: node10`, which ignores package.json "exports"; graphql-ws
// ships its ws adapter only as the subpath export `graphql-ws/use/ws`. Node resolves it at run time;
// this tells the type checker where its declarations are.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
