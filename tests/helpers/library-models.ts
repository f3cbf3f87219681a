// The shipped model files restate the TypeScript library's models (the reference the
// tests compare them with): pk2cmt_oral_idr1.model is pk2cmt_oral+idr1, tmdd_full.model is tmdd_full.

/** The library model a shipped model file restates. */
export function libraryNameOf(file: string): string {
  return file.replace(/\.model$/, '').replace(/^(pk\dcmt_(?:iv|oral))_/, '$1+');
}

/** A shipped protocol with each `model: { file: ../models/x.model }` line naming the library model instead. */
export function withLibraryModels(yaml: string): string {
  return yaml.replace(
    /^( *model: )\{ file: \.\.\/models\/(\S+) \}$/gm,
    (_, key: string, file: string) => key + libraryNameOf(file)
  );
}

/** The model files a shipped protocol names, in order. */
export function modelFilesOf(yaml: string): string[] {
  return [...yaml.matchAll(/^ *model: \{ file: \.\.\/models\/(\S+) \}$/gm)].map((m) => m[1]);
}
