// The renderer's import graph has no cycle: none between files, none between the renderer's
// folders (the shell, the store's modules, ui/ and each feature), and none between features even
// counting type-only imports. Import-only-types statements are erased by the compiler, so they
// cannot change the order modules load in; the one place they knot on purpose is the composed
// store's type, which names every slice (app/store-kit.ts) while each slice reads the whole store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'renderer', 'src');
const FEATURES = ['events', 'desk', 'printing', 'venue', 'settings', 'storage', 'lists'];

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

/** Every import and re-export between the renderer's own modules (stylesheets and packages left out). */
function importEdges(files: string[]): Edge[] {
  const known = new Set(files);
  return files.flatMap((file) => {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    const edges: Edge[] = [];
    for (const statement of source.statements) {
      let specifier: ts.Expression | undefined;
      let typeOnly = false;
      if (ts.isImportDeclaration(statement)) {
        specifier = statement.moduleSpecifier;
        typeOnly = statement.importClause?.isTypeOnly === true;
      } else if (ts.isExportDeclaration(statement)) {
        specifier = statement.moduleSpecifier;
        typeOnly = statement.isTypeOnly;
      }
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier.text);
      if (known.has(target)) edges.push({ from: file, to: target, typeOnly });
    }
    return edges;
  });
}

/** A cycle in the graph as the path around it, or null. */
function findCycle(nodes: Iterable<string>, next: (node: string) => Iterable<string>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    path.push(node);
    for (const target of next(node)) {
      if (state.get(target) === 'open') return [...path.slice(path.indexOf(target)), target];
      if (!state.has(target)) {
        const cycle = visit(target);
        if (cycle) return cycle;
      }
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of nodes) {
    if (state.has(node)) continue;
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

function graphOf(edges: Edge[], nodeOf: (file: string) => string | null): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = nodeOf(from);
    const b = nodeOf(to);
    if (a === null || b === null) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    if (a !== b) graph.get(a)!.add(b);
  }
  return graph;
}

const files = sourceFiles(SRC);
const edges = importEdges(files);
const loaded = edges.filter((e) => !e.typeOnly);
const name = (file: string) => relative(SRC, file);
const folderOf = (file: string) => name(file).split('/')[0]!;

/** The renderer's layers: app/ splits into its shell (screens and the store's composition) and its store modules. */
function layerOf(file: string): string {
  const folder = folderOf(file);
  if (folder !== 'app') return folder;
  return file.endsWith('.tsx') || name(file) === 'app/store.ts' ? 'app shell' : 'app store';
}

test('the renderer has modules to check, and imports between them', () => {
  assert.ok(files.length > 40, `only ${files.length} modules found under renderer/src`);
  assert.ok(loaded.length > 100, `only ${loaded.length} imports found`);
});

test('no import cycle between the renderer’s files', () => {
  const graph = graphOf(loaded, name);
  const cycle = findCycle(graph.keys(), (node) => graph.get(node) ?? []);
  assert.equal(cycle, null, `import cycle: ${cycle?.join(' -> ')}`);
});

test('no import cycle between the renderer’s folders: shell and store -> features -> store modules -> ui', () => {
  const graph = graphOf(loaded, layerOf);
  const cycle = findCycle(graph.keys(), (node) => graph.get(node) ?? []);
  assert.equal(cycle, null, `folders import each other: ${cycle?.join(' -> ')}`);
  assert.deepEqual([...(graph.get('ui') ?? [])], [], 'ui/ imports no other folder');
});

test('no cycle between features, type-only imports included', () => {
  const graph = graphOf(edges, (file) => (FEATURES.includes(folderOf(file)) ? folderOf(file) : null));
  const cycle = findCycle(graph.keys(), (node) => graph.get(node) ?? []);
  assert.equal(cycle, null, `features import each other: ${cycle?.join(' -> ')}`);
});
