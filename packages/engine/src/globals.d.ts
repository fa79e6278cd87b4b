// Two web-platform globals the engine uses, present in every runtime it targets (Node, browsers).
// Declared here rather than pulling in the DOM or Node typings, so no I/O API is in reach of the engine.
declare function structuredClone<T>(value: T): T;
declare class TextDecoder {
  constructor(label?: string);
  decode(input?: Uint8Array): string;
}
